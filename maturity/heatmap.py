"""The heat map: units by dimensions of a maturity model for one year, with
a sector row, the change since the year before and the gap to the target.

``heatmap_build`` returns plain data (text in the active language) that the
heat-map page, the public pages, the API and the PDF report share. A value
follows the rule of ``maturity.figures``; the sector row's value is the
median of the unit values and may be x.5. Colour never tells anything
alone: every cell carries its level, change and target in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NotRequired, TypedDict

from django.utils.translation import gettext as _

from strategy.fallback import fallback_lang
from strategy.models import Organisation

from .figures import LevelData, level_data, level_label, median, number_text, unit_values
from .models import AssessmentRound, Dimension, Level, MaturityModel, TargetLevel


class HeatCell(TypedDict):
    dimension_id: int
    value: float | None  # agreed level's ordinal, else the median of enough answers
    level: LevelData | None  # the level at floor(value)
    label: str  # "Hyvä" or "between Kehittyvä and Hyvä"; "" without a value
    source: str | None  # "agreed" | "median" | None
    previous: float | None  # the year before
    previous_label: str
    change: float | None  # value - previous
    direction: str | None  # "up" | "down" | "same" | None
    change_text: str  # words, e.g. "up 1 from last year"
    target: LevelData | None  # the unit's own target, else the dimension's
    gap: float | None  # target ordinal - value (> 0: still to climb)
    target_year: int | None
    target_scope: str | None  # "unit" | "sector" | None: whose target it is
    target_text: str  # e.g. "Target: Hyvä by 2027 (gap 1)"; "" without a target


class HeatRow(TypedDict):
    unit_id: int | None  # None on the sector row
    unit_name: str
    unit_slug: str
    cells: list[HeatCell]  # one per dimension, in the order of ``dimensions``


class HeatDimension(TypedDict):
    id: int
    number: str
    title: str
    title_lang: NotRequired[str]  # the title's language when it is not the reader's
    target: LevelData | None
    target_year: int | None


class Heatmap(TypedDict):
    model_id: int
    year: int
    previous_year: int  # year - 1
    round_id: int | None  # the year's round, if any
    levels: list[LevelData]  # low → high
    dimensions: list[HeatDimension]
    rows: list[HeatRow]
    sector: HeatRow  # the median of the unit values


def targets_by_dimension(model: MaturityModel, year: int) -> dict[tuple[int, int | None], TargetLevel]:
    """For every (dimension, unit or None) the target that applies to ``year``: the
    nearest target year at or after it, else the latest one before it."""

    def rank(target: TargetLevel) -> tuple[int, int]:
        return (0, target.year - year) if target.year >= year else (1, year - target.year)

    chosen: dict[tuple[int, int | None], TargetLevel] = {}
    for target in TargetLevel.objects.filter(dimension__model=model).select_related("level"):
        key = (target.dimension_id, target.unit_id)
        if key not in chosen or rank(target) < rank(chosen[key]):
            chosen[key] = target
    return chosen


def _change_words(value: float | None, previous: float | None) -> tuple[float | None, str | None, str]:
    """The change since last year as a number, a direction and words (never an arrow alone)."""
    if value is None or previous is None:
        return None, None, _("no comparison")
    change = value - previous
    if change > 0:
        return change, "up", _("up %(n)s from last year") % {"n": number_text(change)}
    if change < 0:
        return change, "down", _("down %(n)s from last year") % {"n": number_text(-change)}
    return 0.0, "same", _("same as last year")


def _target_text(target: TargetLevel | None, gap: float | None) -> str:
    """The target and the gap to it in words, so the heat map never tells it by colour alone."""
    if target is None:
        return ""
    if gap is None:
        progress = _("no result")
    elif gap > 0:
        progress = _("gap %(n)s") % {"n": number_text(gap)}
    else:
        progress = _("reached")
    params = {"level": target.level.name, "year": target.year, "progress": progress}
    if target.unit_id is None:
        return _("Target: %(level)s by %(year)s (%(progress)s)") % params
    return _("Unit target: %(level)s by %(year)s (%(progress)s)") % params


@dataclass
class _Year:
    """What one heat map reads from the database, gathered once."""

    model: MaturityModel
    year: int
    levels: list[Level]
    dimensions: list[Dimension]
    this_round: AssessmentRound | None
    last_round: AssessmentRound | None
    values: dict[tuple[int, int, int], tuple[float, str]] = field(default_factory=dict)
    targets: dict[tuple[int, int | None], TargetLevel] = field(default_factory=dict)

    @cached_property
    def by_ordinal(self) -> dict[int, Level]:
        return {level.ordinal: level for level in self.levels}

    def value(self, round_: AssessmentRound | None, unit_id: int, dimension_id: int) -> tuple[float, str] | None:
        return self.values.get((round_.pk, unit_id, dimension_id)) if round_ else None


def _cell(
    data: _Year,
    dimension: Dimension,
    current: tuple[float | None, str | None],
    previous: float | None,
    target: TargetLevel | None,
) -> HeatCell:
    value, source = current
    by_ordinal = data.by_ordinal
    change, direction, change_text = _change_words(value, previous)
    gap = (target.level.ordinal - value) if target and value is not None else None
    floor_level = by_ordinal.get(int(value)) if value is not None else None
    return {
        "dimension_id": dimension.pk,
        "value": value,
        "level": level_data(floor_level) if floor_level else None,
        "label": level_label(value, by_ordinal),
        "source": source,
        "previous": previous,
        "previous_label": level_label(previous, by_ordinal),
        "change": change,
        "direction": direction,
        "change_text": change_text,
        "target": level_data(target.level) if target else None,
        "gap": gap,
        "target_year": target.year if target else None,
        "target_scope": ("sector" if target.unit_id is None else "unit") if target else None,
        "target_text": _target_text(target, gap),
    }


def _unit_row(data: _Year, unit: Organisation) -> HeatRow:
    cells = []
    for dimension in data.dimensions:
        current = data.value(data.this_round, unit.pk, dimension.pk)
        previous = data.value(data.last_round, unit.pk, dimension.pk)
        target = data.targets.get((dimension.pk, unit.pk)) or data.targets.get((dimension.pk, None))
        cells.append(_cell(data, dimension, current or (None, None), previous[0] if previous else None, target))
    return {"unit_id": unit.pk, "unit_name": unit.name, "unit_slug": unit.slug, "cells": cells}


def _sector_row(data: _Year, rows: list[HeatRow]) -> HeatRow:
    """The median of the units' values (and of last year's) per dimension."""
    current: dict[int, list[float]] = defaultdict(list)
    previous: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        for cell in row["cells"]:
            if cell["value"] is not None:
                current[cell["dimension_id"]].append(cell["value"])
            if cell["previous"] is not None:
                previous[cell["dimension_id"]].append(cell["previous"])
    cells = [
        _cell(
            data,
            dimension,
            (median(current[dimension.pk]), "median" if current[dimension.pk] else None),
            median(previous[dimension.pk]),
            data.targets.get((dimension.pk, None)),
        )
        for dimension in data.dimensions
    ]
    return {"unit_id": None, "unit_name": _("Sector (median of units)"), "unit_slug": "", "cells": cells}


def _dimension_data(data: _Year) -> list[HeatDimension]:
    result: list[HeatDimension] = []
    for dimension in data.dimensions:
        target = data.targets.get((dimension.pk, None))
        result.append(
            {
                "id": dimension.pk,
                "number": dimension.number,
                "title": dimension.title,
                "title_lang": fallback_lang(dimension, "title"),
                "target": level_data(target.level) if target else None,
                "target_year": target.year if target else None,
            }
        )
    return result


def heatmap_build(
    *, model: MaturityModel, year: int, units: Iterable[Organisation] | None = None
) -> Heatmap:
    """Units by dimensions of ``model`` for ``year`` (the shape: ``Heatmap``).

    ``units``: the rows, in the given order; ``None`` means the units of the
    year's round (ordered by the organisation tree). A fixed number of
    queries, whatever the number of units.
    """
    rounds = {r.year: r for r in AssessmentRound.objects.filter(model=model, year__in=[year, year - 1])}
    data = _Year(
        model=model,
        year=year,
        levels=list(model.levels.all()),
        dimensions=list(model.dimensions.all()),
        this_round=rounds.get(year),
        last_round=rounds.get(year - 1),
    )
    if units is None:
        unit_list = list(data.this_round.units.order_by("path")) if data.this_round else []
    else:
        unit_list = list(units)
    data.values = unit_values(
        rounds=[r for r in (data.this_round, data.last_round) if r], unit_ids=[unit.pk for unit in unit_list]
    )
    data.targets = targets_by_dimension(model, year)
    rows = [_unit_row(data, unit) for unit in unit_list]
    return {
        "model_id": model.pk,
        "year": year,
        "previous_year": year - 1,
        "round_id": data.this_round.pk if data.this_round else None,
        "levels": [level_data(level) for level in data.levels],
        "dimensions": _dimension_data(data),
        "rows": rows,
        "sector": _sector_row(data, rows),
    }
