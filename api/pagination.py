from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; the page size is bounded by settings."""

    page_size = settings.SUUNTA_API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.SUUNTA_API_MAX_PAGE_SIZE
