"""Marking text shown in another language than the page's (WCAG 3.1.2).

A translated field whose text is missing in the page's language falls back to
another language (``strategy.fallback``). ``{{ goal|localized:"title" }}``
prints the text, wrapped in ``<span lang="fi">`` only when it falls back;
``<p{% lang_attr goal "description" %}>`` adds the attribute to an element
that holds a longer text (one filtered with ``linebreaks`` and the like).
Both read the per-language attributes the object already has: no queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..fallback import fallback_lang

register = template.Library()


def _fallback_lang(obj: Any, field: str) -> str:
    """The language ``field`` of ``obj`` is shown in, if not the page's; else "".

    ``obj`` is a model instance with translated fields, or a report snapshot
    entry, which records the language beside the text (``<field>_lang``).
    """
    if obj is None or obj == "":
        return ""
    if isinstance(obj, Mapping):
        return str(obj.get(f"{field}_lang") or "")
    return fallback_lang(obj, field)


@register.filter
def localized(obj: Any, field: str) -> SafeString | str:
    """``obj.<field>`` in the page's language; wrapped in ``<span lang>`` when
    it is another language's text. Escaped either way."""
    if obj is None or obj == "":
        return ""
    lang = _fallback_lang(obj, field)
    value = obj.get(field, "") if isinstance(obj, Mapping) else getattr(obj, field, "")
    if lang:
        return format_html('<span lang="{}">{}</span>', lang, value)
    return format_html("{}", value)


@register.simple_tag
def lang_attr(obj: Any, field: str) -> SafeString | str:
    """`` lang="fi"`` for an element holding ``obj.<field>`` when that text is
    in another language than the page's, else nothing."""
    lang = _fallback_lang(obj, field)
    return format_html(' lang="{}"', lang) if lang else ""
