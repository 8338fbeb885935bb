"""The model editor's workflows: target levels and copying a whole model to
another strategy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from strategy.models import Organisation, Strategy

from .models import Criterion, Dimension, Level, MaturityModel, TargetLevel


def target_level_set(
    *, dimension: Dimension, year: int, level: Level | None, unit: Organisation | None = None
) -> None:
    """Set (or with ``None`` remove) the target of a row for a year: the
    sector-wide one, or with ``unit`` that unit's own target."""
    if level is None:
        TargetLevel.objects.filter(dimension=dimension, unit=unit, year=year).delete()
        return
    TargetLevel.objects.update_or_create(dimension=dimension, unit=unit, year=year, defaults={"level": level})


def _translated(obj: Any, field: str) -> dict[str, Any]:
    """A translated field's value in every language, as keyword arguments."""
    from modeltranslation.utils import build_localized_fieldname

    names = [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]
    return {name: getattr(obj, name) for name in names}


def _copy_dimensions(source: MaturityModel, copy: MaturityModel, strategy: Strategy, level_map: dict[int, Level]) -> None:
    sections = {section.number: section for section in strategy.sections.all()}
    for dimension in source.dimensions.select_related("section").prefetch_related("criteria"):
        new_dimension = Dimension.objects.create(
            model=copy,
            number=dimension.number,
            order=dimension.order,
            section=(sections.get(dimension.section.number) if dimension.section else None)
            or sections.get(dimension.number),
            **_translated(dimension, "title"),
        )
        for criterion in dimension.criteria.all():
            Criterion.objects.create(
                dimension=new_dimension, level=level_map[criterion.level_id], **_translated(criterion, "text")
            )


def maturity_model_copy(*, source: MaturityModel, strategy: Strategy) -> MaturityModel:
    """Copy a maturity model (levels, dimensions, criteria, all languages) to
    another strategy. A row is tied to the target strategy's section with the
    number of its source section (or, failing that, the row's own number);
    actions are not copied (they belong to the source strategy)."""
    with transaction.atomic():
        copy = MaturityModel.objects.create(
            strategy=strategy, **_translated(source, "name"), **_translated(source, "description")
        )
        level_map = {
            level.pk: Level.objects.create(
                model=copy, ordinal=level.ordinal, **_translated(level, "name"), **_translated(level, "description")
            )
            for level in source.levels.all()
        }
        _copy_dimensions(source, copy, strategy, level_map)
    return copy
