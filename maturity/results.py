"""What a round tells about a unit: its result per dimension (anonymised
below the round's ``min_respondents``), the unit over the years, and the
round's results as a table for the owner's spreadsheet."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from strategy.models import Action, Organisation

from .figures import level_data, level_label, median, plain_number, unit_values
from .models import (
    AgreedLevel,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    Rating,
    SelfAssessment,
)


def next_level(levels: list[Level], value: float | None) -> tuple[Level | None, Level | None]:
    """The level a unit is at (floor of the value) and the one above it."""
    if value is None:
        return None, levels[0] if levels else None
    current = next((level for level in levels if level.ordinal == int(value)), None)
    higher = next((level for level in levels if level.ordinal > int(value)), None)
    return current, higher


def _result_row(
    dimension: Dimension, answers: list[Rating], levels: list[Level], agreed: AgreedLevel | None, *, shown: bool, with_justifications: bool
) -> dict[str, Any]:
    """One dimension of a unit result; the distribution and median only when ``shown``."""
    ordinal_of = {level.pk: level.ordinal for level in levels}
    ordinals = [ordinal_of[r.level_id] for r in answers]
    middle = median(ordinals) if shown else None
    current_level, higher_level = next_level(levels, float(agreed.level.ordinal) if agreed else middle)
    counts = [
        {
            "level": level,
            "count": ordinals.count(level.ordinal),
            "percent": round(100 * ordinals.count(level.ordinal) / len(ordinals)) if ordinals else 0,
        }
        for level in levels
    ]
    criteria = {criterion.level_id: criterion.text for criterion in dimension.criteria.all()}
    return {
        "dimension": dimension,
        "criteria": [{"level": level, "text": criteria.get(level.pk, "")} for level in levels],
        "answers": len(answers),
        "counts": counts if shown else [],
        "median": middle,
        "median_label": level_label(middle, {level.ordinal: level for level in levels}),
        "agreed": agreed.level if agreed else None,
        "agreed_note": agreed.note if agreed else "",
        "current_level": current_level,
        "next_level": higher_level,
        "actions": list(dimension.actions.all()),
        "justifications": sorted(r.justification for r in answers if r.justification.strip())
        if shown and with_justifications
        else [],
    }


def _people(ratings: list[Rating], dimensions: list[Dimension], levels: list[Level]) -> list[dict[str, Any]]:
    """Each respondent's name and answers, in the order of the matrix."""
    dimension_by_id = {d.pk: d for d in dimensions}
    level_by_id = {level.pk: level for level in levels}

    def name(rating: Rating) -> str:
        person = rating.assessment.person
        return person.get_full_name() or person.username

    by_person: dict[int, dict[str, Any]] = {}
    for rating in sorted(ratings, key=lambda r: (name(r), dimension_by_id[r.dimension_id].order)):
        entry = by_person.setdefault(rating.assessment.person_id, {"name": name(rating), "answers": []})
        entry["answers"].append(
            {
                "dimension": dimension_by_id[rating.dimension_id],
                "level": level_by_id[rating.level_id],
                "justification": rating.justification,
            }
        )
    return list(by_person.values())


def unit_result_build(
    *,
    round_: AssessmentRound,
    unit: Organisation,
    with_names: bool = False,
    with_justifications: bool = False,
) -> dict[str, Any]:
    """The result of one unit in one round, per dimension.

    Below ``round_.min_respondents`` submitted answers, the distribution,
    the median and the justifications are left out (``shown`` is False).
    ``with_names`` adds each respondent's name and answers: only for the
    strategy owner in a round that is not anonymous (the caller decides).
    ``with_justifications`` adds the justifications without names, sorted,
    for the people who discuss the result (unit head, owner).

    Returns ``{"respondents": n, "threshold": k, "shown": bool,
    "levels": [Level], "rows": [{"dimension", "counts": [{"level", "count",
    "percent"}], "median", "median_label", "agreed", "agreed_note", "next_level",
    "current_level", "actions", "justifications", "criteria"}], "people":
    [{"name", "answers": [{"dimension", "level", "justification"}]}]}``.
    """
    levels = list(round_.model.levels.all())
    dimensions = list(
        round_.model.dimensions.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("level")),
            Prefetch("actions", queryset=Action.objects.prefetch_related("responsible_units").order_by("number", "pk")),
        )
    )
    submitted = SelfAssessment.objects.filter(round=round_, unit=unit, status=SelfAssessment.Status.SUBMITTED)
    respondents = submitted.count()
    shown = respondents >= round_.min_respondents
    ratings = list(
        Rating.objects.filter(assessment__in=submitted)
        .select_related("assessment__person")
        .order_by("dimension_id", "level__ordinal", "justification")
    )
    by_dimension: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_dimension[rating.dimension_id].append(rating)
    agreed = {a.dimension_id: a for a in AgreedLevel.objects.filter(round=round_, unit=unit).select_related("level")}
    rows = [
        _result_row(
            dimension,
            by_dimension[dimension.pk],
            levels,
            agreed.get(dimension.pk),
            shown=shown,
            with_justifications=with_justifications,
        )
        for dimension in dimensions
    ]
    return {
        "respondents": respondents,
        "threshold": round_.min_respondents,
        "shown": shown,
        "levels": levels,
        "rows": rows,
        "people": _people(ratings, dimensions, levels) if with_names else [],
    }


def unit_history_build(*, model: MaturityModel, unit: Organisation) -> dict[str, Any]:
    """A unit's value per dimension for every year with a round that included it.

    Returns ``{"unit": {"id", "name"}, "years": [2023, 2024, ...],
    "levels": [LevelData], "series": [{"dimension_id", "number", "title",
    "values": [float | None per year], "labels": [str per year]}]}``; a value
    follows the rule of ``maturity.figures``.
    """
    levels = list(model.levels.all())
    by_ordinal = {level.ordinal: level for level in levels}
    rounds = list(AssessmentRound.objects.filter(model=model, units=unit).order_by("year"))
    values = unit_values(rounds=rounds, unit_ids=[unit.pk])
    series = []
    for dimension in model.dimensions.all():
        row = [values.get((r.pk, unit.pk, dimension.pk), (None, None))[0] for r in rounds]
        series.append(
            {
                "dimension_id": dimension.pk,
                "number": dimension.number,
                "title": dimension.title,
                "values": row,
                "labels": [level_label(v, by_ordinal) for v in row],
            }
        )
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "years": [r.year for r in rounds],
        "levels": [level_data(level) for level in levels],
        "series": series,
    }


def _export_unit_rows(unit: Organisation, result: dict[str, Any], levels: list[Level]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    hidden = _("hidden: fewer than %(n)s answers") % {"n": result["threshold"]}
    for row in result["rows"]:
        rows.append(
            [
                unit.name,
                str(row["dimension"]),
                result["respondents"],
                plain_number(row["median"]) if result["shown"] else hidden,
                row["median_label"],
                row["agreed"].name if row["agreed"] else "",
                *([c["count"] for c in row["counts"]] if result["shown"] else ["" for _level in levels]),
            ]
        )
    for person in result["people"]:
        for entry in person["answers"]:
            rows.append(
                [
                    unit.name,
                    str(entry["dimension"]),
                    person["name"],
                    entry["level"].ordinal,
                    entry["level"].name,
                    entry["justification"],
                ]
            )
    return rows


def round_export_rows(*, round_: AssessmentRound, with_names: bool = False) -> tuple[list[str], list[list[Any]]]:
    """The round's results as a table for XLSX/CSV, anonymised like the pages:
    per unit and dimension the agreed level, the number of answers, and the
    distribution and median only when enough people answered. ``with_names``
    (owner, non-anonymous round) appends one row per person and dimension."""
    levels = list(round_.model.levels.all())
    header = [_("Unit"), _("Dimension"), _("Answers"), _("Median"), _("Median level"), _("Agreed level")]
    header += [level.name for level in levels]
    rows: list[list[Any]] = []
    for unit in round_.units.order_by("path"):
        result = unit_result_build(round_=round_, unit=unit, with_names=with_names)
        rows += _export_unit_rows(unit, result, levels)
    return header, rows
