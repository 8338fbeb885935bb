from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation


class StratmlUploadForm(forms.Form):
    """A StratML file to become a new strategy of one of the person's organisations."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    main_language = forms.ChoiceField(
        label=_("Language of the file"),
        choices=settings.LANGUAGES,
        initial="fi",
        help_text=_("The texts are stored in this language; the others can be added later."),
    )
    file = forms.FileField(
        label=_("StratML file"), help_text=_("A StratML Part 1 or Part 2 file (.xml).")
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
