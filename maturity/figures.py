"""How a unit's maturity value is read from the answers, and how levels are
put in words.

The rule, in one place for the pages, the exports and the PDF report: a
unit's value on a dimension is the level its head agreed; without one, the
median of the submitted answers, but only when at least the round's
``min_respondents`` people answered, so that a lone answer never shows
through. A median may fall between two levels (2.5 reads "between
Kehittyvä and Hyvä").
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import NotRequired, TypedDict

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from strategy.fallback import fallback_lang

from .models import AgreedLevel, AssessmentRound, Level, Rating, SelfAssessment


class LevelData(TypedDict):
    id: int
    ordinal: int
    name: str
    name_lang: NotRequired[str]  # the name's language when it is not the reader's


def level_data(level: Level) -> LevelData:
    return {"id": level.pk, "ordinal": level.ordinal, "name": level.name, "name_lang": fallback_lang(level, "name")}


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


def median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def plain_number(value: float | None) -> int | float | None:
    """2.0 → 2 for spreadsheets; 2.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def number_text(value: float) -> str:
    """A difference of levels in the active language's format: 1, and 0,5 in
    Finnish and Swedish (0.5 in English). The page and the PDF report both
    take their words from here."""
    if float(value).is_integer():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1, use_l10n=True)


def unit_values(
    *, rounds: list[AssessmentRound], unit_ids: list[int]
) -> dict[tuple[int, int, int], tuple[float, str]]:
    """(round, unit, dimension) → (value, source) for the given rounds, by the
    rule in the module docstring; ``source`` is "agreed" or "median". Two
    queries whatever the data size."""
    if not rounds:
        return {}
    round_ids = [r.pk for r in rounds]
    thresholds = {r.pk: r.min_respondents for r in rounds}
    result: dict[tuple[int, int, int], tuple[float, str]] = {}
    answers: dict[tuple[int, int, int], list[float]] = defaultdict(list)
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
        answers[(round_id, unit_id, dimension_id)].extend([ordinal] * n)
    for key, values in answers.items():
        if len(values) >= thresholds[key[0]]:
            result[key] = (median(values), "median")  # type: ignore[assignment]
    agreed = AgreedLevel.objects.filter(round_id__in=round_ids, unit_id__in=unit_ids).values_list(
        "round_id", "unit_id", "dimension_id", "level__ordinal"
    )
    for round_id, unit_id, dimension_id, ordinal in agreed:
        result[(round_id, unit_id, dimension_id)] = (float(ordinal), "agreed")
    return result
