"""Receivers of strategy's signals; connected in ``TranslationsConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model

from .services import translation_marks_before_save


def mark_translations_before_part_save(
    sender: type[Model],
    *,
    obj: Model,
    values: Mapping[str, Any],
    many: Mapping[str, Any] | None = None,
    user: Any = None,
    **kwargs: Any,
) -> None:
    """The editor is about to save ``values`` on ``obj``: keep its marks true
    (inside the editor's transaction, before the values are set)."""
    translation_marks_before_save(obj=obj, values=values, many=many, user=user)
