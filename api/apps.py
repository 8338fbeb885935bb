from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The profile page shows the personal API tokens; strategy imports nothing of ours.
        from strategy.profile_sections import register_profile_section

        from .tokens import token_context

        register_profile_section(token_context)
