"""Which language a translated text is actually in.

Content fields are stored per language (``title_fi``, ``title_sv``,
``title_en``) and read with modeltranslation's fallback: a Swedish page shows
the Finnish text when the Swedish one is empty. Such a text must be marked as
Finnish (WCAG 3.1.2). The rule is answered here, with modeltranslation's own
fallback order, so that pages, reports and the translation overview agree
(``translations.fallback`` counts a report's fallback texts with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import resolution_order

if TYPE_CHECKING:
    from django.db.models import Model


@dataclass(frozen=True)
class LocalizedText:
    """A text shown for ``requested`` and the language it is really in.

    ``lang`` is ``""`` when no language has any text (nothing is shown, so
    nothing needs marking).
    """

    value: str
    lang: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.value) and self.lang != self.requested

    def __str__(self) -> str:
        return self.value


def text_in(obj: Model | Mapping[str, Any], field: str, language: str) -> LocalizedText:
    """``field`` of ``obj`` as a reader of ``language`` sees it.

    ``obj`` is a model instance or a ``values()`` row holding the per-language
    columns (``<field>_<code>``). Languages are tried in modeltranslation's
    order (the language itself, then ``MODELTRANSLATION_FALLBACK_LANGUAGES``);
    an empty text counts as missing, as modeltranslation counts it.
    """
    language = language[:2]
    for code in resolution_order(language):
        key = f"{field}_{code}"
        value = obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)
        if value:
            return LocalizedText(str(value), code, language)
    return LocalizedText("", "", language)


def fallback_lang(obj: Model | Mapping[str, Any], field: str, language: str | None = None) -> str:
    """The language ``field`` of ``obj`` is shown in when it falls back from
    ``language`` (default: the active language); ``""`` when it does not.
    For plain data handed to templates (``<field>_lang``), so that the page
    and the PDF can mark the text with its language."""
    text = text_in(obj, field, language or get_language() or settings.LANGUAGE_CODE)
    return text.lang if text.is_fallback else ""
