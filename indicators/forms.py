"""Forms for entering indicator values and uploading spreadsheets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import ALLOWED_EXTENSIONS
from .models import Indicator
from .numbers import NumberError, parse_decimal
from .services import EntryError, level_labels, value_check

NUMBER_MESSAGES = {
    "not_a_number": _("Enter a number, for example 1 234,5."),
    "too_large": _("The number is too large."),
}


class ValueForm(forms.Form):
    """One cell of the grid of years by units. Empty removes the value.

    ``version`` is the version of the cell the form showed (0 when it was
    empty): the save is refused if the cell changed since. A qualitative
    indicator's cell is a choice of its levels; it posts the level's ordinal.
    """

    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.is_qualitative:
            levels = sorted(level_labels(indicator).items())
            self.fields["value"].widget = forms.Select(
                choices=[("", _("No value")), *((str(ordinal), label) for ordinal, label in levels)]
            )

    def clean_version(self) -> int:
        # A form without a version is taken as one opened on an empty cell.
        return self.cleaned_data.get("version") or 0

    def clean_value(self) -> Decimal | None:
        text = self.cleaned_data["value"].strip()
        if not text:
            return None
        if self.indicator.is_qualitative:
            # The select posts an ordinal; anything else is refused with the levels named.
            value = Decimal(text) if text.isdigit() else Decimal(-1)
            try:
                value_check(indicator=self.indicator, value=value)
            except EntryError as exc:
                raise forms.ValidationError(exc.message, code="level") from exc
            return value
        try:
            value = parse_decimal(text)
        except NumberError as exc:
            raise forms.ValidationError(NUMBER_MESSAGES[exc.code], code=exc.code) from exc
        try:
            value_check(indicator=self.indicator, value=value)
        except EntryError as exc:
            raise forms.ValidationError(exc.message, code="range") from exc
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Columns: indicator_id (or indicator), unit, year, target, actual. An empty cell leaves the value as it is."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}),
    )
