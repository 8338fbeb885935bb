from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A translation's mark is kept true when the strategy editor saves its source text.
        from strategy.signals import part_saving

        from .receivers import mark_translations_before_part_save

        part_saving.connect(mark_translations_before_part_save, dispatch_uid="suunta-translation-marks")
