"""Maturity workflows and the data behind the maturity pages.

The ``*_build`` functions return plain data (dicts, lists, numbers and
strings in the active language) so that the web pages, the exports and the
PDF report (``reports``) share one source of truth. They never return
another person's individual answer unless the caller asks for it
explicitly (``with_names``), and they hide every distribution of fewer
answers than the round's ``min_respondents``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count
from django.utils.translation import gettext as _

from strategy.models import Organisation

from .models import (
    AgreedLevel,
    AssessmentRound,
    Dimension,
    Level,
    MaturityModel,
    Rating,
    SelfAssessment,
    TargetLevel,
)

if TYPE_CHECKING:
    pass


# --- plain-data shapes -------------------------------------------------------


class LevelData(TypedDict):
    id: int
    ordinal: int
    name: str


class HeatCell(TypedDict):
    dimension_id: int
    value: float | None
    level: LevelData | None
    label: str
    source: str | None
    previous: float | None
    previous_label: str
    change: float | None
    direction: str | None
    change_text: str
    target: LevelData | None
    gap: float | None


class HeatRow(TypedDict):
    unit_id: int | None
    unit_name: str
    unit_slug: str
    cells: list[HeatCell]


class HeatDimension(TypedDict):
    id: int
    number: str
    title: str
    target: LevelData | None
    target_year: int | None


class Heatmap(TypedDict):
    model_id: int
    year: int
    previous_year: int
    round_id: int | None
    levels: list[LevelData]
    dimensions: list[HeatDimension]
    rows: list[HeatRow]
    sector: HeatRow


# --- small helpers -----------------------------------------------------------


def _level_data(level: Level) -> LevelData:
    return {"id": level.pk, "ordinal": level.ordinal, "name": level.name}


def level_label(value: float | None, levels_by_ordinal: dict[int, Level | LevelData]) -> str:
    """The words for a (median) value: the level's name, or "between A and B"
    for a median that falls between two levels."""
    if value is None:
        return ""

    def name(ordinal: int) -> str:
        level = levels_by_ordinal.get(ordinal)
        if level is None:
            return str(ordinal)
        return level["name"] if isinstance(level, dict) else level.name

    if float(value).is_integer():
        return name(int(value))
    low, high = int(value), int(value) + 1
    return _("between %(low)s and %(high)s") % {"low": name(low), "high": name(high)}


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _change(value: float | None, previous: float | None) -> tuple[float | None, str | None, str]:
    """The change since last year as a number, a direction and words (never an arrow alone)."""
    if value is None or previous is None:
        return None, None, _("no comparison")
    change = value - previous
    if change > 0:
        return change, "up", _("up %(n)s from last year") % {"n": _number(change)}
    if change < 0:
        return change, "down", _("down %(n)s from last year") % {"n": _number(-change)}
    return 0.0, "same", _("same as last year")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _targets_by_dimension(model: MaturityModel, year: int) -> dict[tuple[int, int | None], TargetLevel]:
    """For every (dimension, unit or None) the target that applies to ``year``: the
    nearest target year at or after it, else the latest one before it."""
    chosen: dict[tuple[int, int | None], TargetLevel] = {}
    for target in TargetLevel.objects.filter(dimension__model=model).select_related("level"):
        key = (target.dimension_id, target.unit_id)
        best = chosen.get(key)
        if best is None:
            chosen[key] = target
            continue
        # Prefer targets at or after the year, the nearest first.
        def rank(t: TargetLevel) -> tuple[int, int]:
            return (0, t.year - year) if t.year >= year else (1, year - t.year)

        if rank(target) < rank(best):
            chosen[key] = target
    return chosen


def _unit_values(
    *, rounds: list[AssessmentRound], unit_ids: list[int]
) -> dict[tuple[int, int, int], tuple[float, str]]:
    """(round, unit, dimension) → (value, source) for the given rounds.

    The agreed level wins; without one, the median of submitted answers is
    used, but only when at least ``min_respondents`` people answered, so a
    lone answer never shows through. Two queries whatever the data size.
    """
    if not rounds:
        return {}
    round_ids = [r.pk for r in rounds]
    thresholds = {r.pk: r.min_respondents for r in rounds}
    result: dict[tuple[int, int, int], tuple[float, str]] = {}
    counts: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    ratings = (
        Rating.objects.filter(
            assessment__round_id__in=round_ids,
            assessment__unit_id__in=unit_ids,
            assessment__status=SelfAssessment.Status.SUBMITTED,
        )
        .values_list("assessment__round_id", "assessment__unit_id", "dimension_id", "level__ordinal")
        .annotate(n=Count("id"))
        .order_by()
    )
    for round_id, unit_id, dimension_id, ordinal, n in ratings:
        counts[(round_id, unit_id, dimension_id)].extend([ordinal] * n)
    for key, values in counts.items():
        if len(values) >= thresholds[key[0]]:
            result[key] = (_median(values), "median")  # type: ignore[assignment]
    agreed = AgreedLevel.objects.filter(round_id__in=round_ids, unit_id__in=unit_ids).values_list(
        "round_id", "unit_id", "dimension_id", "level__ordinal"
    )
    for round_id, unit_id, dimension_id, ordinal in agreed:
        result[(round_id, unit_id, dimension_id)] = (float(ordinal), "agreed")
    return result


# --- heat map ----------------------------------------------------------------


def heatmap_build(
    *, model: MaturityModel, year: int, units: Iterable[Organisation] | None = None
) -> Heatmap:
    """Units × dimensions of ``model`` for ``year``, with a sector row, the change
    since the year before, the target level per dimension and the gap to it.

    ``units``: the rows, in the given order; ``None`` means the units of the
    year's round (ordered by the organisation tree). A fixed number of
    queries, whatever the number of units.

    Returns a dict (all text in the active language)::

        {
          "model_id": int, "year": int, "previous_year": int (= year - 1),
          "round_id": int | None,               # the year's round, if any
          "levels": [{"id", "ordinal", "name"}, ...],       # low → high
          "dimensions": [{"id", "number", "title",
                          "target": {"id", "ordinal", "name"} | None,
                          "target_year": int | None}, ...],
          "rows": [{"unit_id", "unit_name", "unit_slug", "cells": [cell, ...]}, ...],
          "sector": {"unit_id": None, "unit_name": "<sector label>", "unit_slug": "",
                     "cells": [cell, ...]},      # median of the unit values
        }

    A cell (one per dimension, in the order of ``dimensions``)::

        {
          "dimension_id": int,
          "value": float | None,    # agreed level's ordinal; else the median of
                                    # submitted answers if enough people answered;
                                    # the sector row's value is the median of units
                                    # and may be x.5
          "level": {"id", "ordinal", "name"} | None,  # the level at floor(value)
          "label": str,             # "Hyvä" or "between Kehittyvä and Hyvä"; "" if none
          "source": "agreed" | "median" | None,
          "previous": float | None, "previous_label": str,   # the year before
          "change": float | None,   # value - previous
          "direction": "up" | "down" | "same" | None,
          "change_text": str,       # words, e.g. "up 1 from last year"
          "target": {"id", "ordinal", "name"} | None,  # unit's own target, else the dimension's
          "gap": float | None,      # target ordinal - value (> 0: still to climb)
        }
    """
    levels = list(model.levels.all())
    by_ordinal: dict[int, Level] = {level.ordinal: level for level in levels}
    dimensions = list(model.dimensions.all())
    rounds = {r.year: r for r in AssessmentRound.objects.filter(model=model, year__in=[year, year - 1])}
    this_round, last_round = rounds.get(year), rounds.get(year - 1)
    if units is None:
        unit_list = list(this_round.units.order_by("path")) if this_round else []
    else:
        unit_list = list(units)
    unit_ids = [unit.pk for unit in unit_list]
    values = _unit_values(rounds=[r for r in (this_round, last_round) if r], unit_ids=unit_ids)
    targets = _targets_by_dimension(model, year)

    def cell(dimension: Dimension, value: float | None, source: str | None, previous: float | None, target: TargetLevel | None) -> HeatCell:
        change, direction, change_text = _change(value, previous)
        floor_level = by_ordinal.get(int(value)) if value is not None else None
        return {
            "dimension_id": dimension.pk,
            "value": value,
            "level": _level_data(floor_level) if floor_level else None,
            "label": level_label(value, by_ordinal),
            "source": source,
            "previous": previous,
            "previous_label": level_label(previous, by_ordinal),
            "change": change,
            "direction": direction,
            "change_text": change_text,
            "target": _level_data(target.level) if target else None,
            "gap": (target.level.ordinal - value) if target and value is not None else None,
        }

    rows: list[HeatRow] = []
    unit_values: dict[int, list[float]] = defaultdict(list)
    unit_previous: dict[int, list[float]] = defaultdict(list)
    for unit in unit_list:
        cells = []
        for dimension in dimensions:
            current = values.get((this_round.pk, unit.pk, dimension.pk)) if this_round else None
            previous = values.get((last_round.pk, unit.pk, dimension.pk)) if last_round else None
            if current:
                unit_values[dimension.pk].append(current[0])
            if previous:
                unit_previous[dimension.pk].append(previous[0])
            target = targets.get((dimension.pk, unit.pk)) or targets.get((dimension.pk, None))
            cells.append(
                cell(
                    dimension,
                    current[0] if current else None,
                    current[1] if current else None,
                    previous[0] if previous else None,
                    target,
                )
            )
        rows.append({"unit_id": unit.pk, "unit_name": unit.name, "unit_slug": unit.slug, "cells": cells})

    sector_cells = [
        cell(
            dimension,
            _median(unit_values[dimension.pk]),
            "median" if unit_values[dimension.pk] else None,
            _median(unit_previous[dimension.pk]),
            targets.get((dimension.pk, None)),
        )
        for dimension in dimensions
    ]
    dimension_data: list[HeatDimension] = []
    for dimension in dimensions:
        target = targets.get((dimension.pk, None))
        dimension_data.append(
            {
                "id": dimension.pk,
                "number": dimension.number,
                "title": dimension.title,
                "target": _level_data(target.level) if target else None,
                "target_year": target.year if target else None,
            }
        )
    return {
        "model_id": model.pk,
        "year": year,
        "previous_year": year - 1,
        "round_id": this_round.pk if this_round else None,
        "levels": [_level_data(level) for level in levels],
        "dimensions": dimension_data,
        "rows": rows,
        "sector": {
            "unit_id": None,
            "unit_name": _("Sector (median of units)"),
            "unit_slug": "",
            "cells": sector_cells,
        },
    }
