from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: what residents read without signing in."""

    name = "public"
    verbose_name = _("Public pages")
