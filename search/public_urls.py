from __future__ import annotations

from django.urls import path

from . import views

# Included at ``public/search/``, before the public pages, whose
# ``<org_slug>/`` pattern would otherwise read "search" as an organisation.
urlpatterns = [
    path("", views.public_search, name="public-search"),
]
