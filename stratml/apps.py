from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StratmlConfig(AppConfig):
    name = "stratml"
    verbose_name = _("StratML import and export")
    default_auto_field = "django.db.models.BigAutoField"
