"""Helpers every snapshot section uses: texts in the report's language with
their fallback marks, decimals as exact strings, and the report's scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from strategy.fallback import text_in
from strategy.models import Organisation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def text_of(row: dict[str, Any], field: str, language: str) -> str:
    """A translated field of a ``values()`` row in ``language``, falling back
    like modeltranslation does (``strategy.fallback.text_in``)."""
    return text_in(row, field, language).value


def texts_of(row: dict[str, Any], language: str, *fields: str, **renamed: str) -> dict[str, str]:
    """Translated fields of a ``values()`` row as snapshot entries: ``{key:
    text}``, and ``{key_lang: code}`` beside each text that is in another
    language than ``language`` (so that the PDF can mark it, WCAG 3.1.2).

    ``fields`` keep their name as key; ``renamed`` maps a key to a field
    (``unit="plan__unit__name"``).
    """
    entry: dict[str, str] = {}
    for key, field in [*((field, field) for field in fields), *renamed.items()]:
        found = text_in(row, field, language)
        entry[key] = found.value
        if found.is_fallback:
            entry[f"{key}_lang"] = found.lang
    return entry


def instance_texts(obj: Any, language: str, *fields: str) -> dict[str, str]:
    """``texts_of`` for a model instance (its per-language attributes)."""
    entry: dict[str, str] = {}
    for field in fields:
        found = text_in(obj, field, language)
        entry[field] = found.value
        if found.is_fallback:
            entry[f"{field}_lang"] = found.lang
    return entry


def language_fields(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in LANGUAGE_CODES]


def decimal_text(value: Decimal | None) -> str | None:
    """Decimals as canonical strings: JSON-safe and exact."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() gives "1E+3" for 1000; keep plain digits.
    return f"{normalised:f}"


@dataclass
class Scope:
    """What a report covers: its years, and the unit whose subtree it is about (None: all)."""

    years: list[int]
    unit: Organisation | None

    def unit_q(self, field: str) -> Q:
        if self.unit is None:
            return Q()
        return Q(**{f"{field}__startswith": self.unit.path})


def choice_labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}
