from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = _("Accessibility")

    def ready(self) -> None:
        # Django 6.1's empty choice "- Select an option -" has no Finnish or
        # Swedish translation in Django's own catalogues, so every drop-down
        # with an empty choice showed English in the Finnish and Swedish
        # interface. Django reads this module attribute whenever it builds
        # such a choice (its deprecation note for USE_BLANK_CHOICE_DASH
        # suggests overriding it in ready()); ours is in Suunta's catalogue.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL


BLANK_CHOICE_LABEL = pgettext_lazy("empty choice of a drop-down list", "– Choose –")
