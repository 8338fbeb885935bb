from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        strip=True,
        help_text=_("What the token is for, for example “weekly import”."),
    )
    valid_days = forms.ChoiceField(
        label=_("Valid for"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("365", _("One year")),
            ("", _("Until revoked")),
        ],
        initial="90",
        required=False,
    )

    def clean_valid_days(self) -> int | None:
        value = self.cleaned_data["valid_days"]
        return int(value) if value else None
