"""Council reports: ordering, gathering the data, rendering and archiving.

The flow is ``report_order`` (in the request) → the ``render_report`` task →
``report_run``, which freezes the data into ``Report.snapshot`` with
``report_snapshot_build`` and turns it into PDF bytes with ``report_render``.
Rendering depends on the snapshot alone, so the same snapshot gives the same
bytes: a report can be rendered again identically years later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from indicators.numbers import level_display
from indicators.status import Status as IndicatorStatus
from indicators.status import judge_series, target_path
from maturity.models import MaturityModel
from maturity.services import heatmap_build
from strategy.models import (
    Action,
    AnnualPlan,
    Direction,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    PlanItem,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)
from translations.fallback import text_in

from .models import Report

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

# 2: visions, values, sections, goals with objectives, spearheads,
# stakeholders, the decision, and actions without a focus area grouped by goal.
# 3: beside a text shown in another language than the report's (a missing
# translation), ``<key>_lang`` names the language it is in.
# Reports frozen with schema 1 still render (see reports.pdf).
SNAPSHOT_SCHEMA = 3
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ReportTransientError(Exception):
    """A failure worth trying again (storage or database hiccup)."""


# Errors that may go away on their own; anything else fails the report at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ReportTransientError, OSError, DatabaseError)


# --- ordering -----------------------------------------------------------------


def report_order(
    *,
    strategy: Strategy,
    user: AbstractBaseUser | None,
    year: int,
    to_year: int | None = None,
    unit: Organisation | None = None,
    language: str,
) -> Report:
    """Create the next version of a report and enqueue its rendering after commit.

    The caller has checked that ``user`` may order this report (see
    ``reports.forms.ReportOrderForm``).
    """
    from .tasks import render_report

    if to_year == year:
        to_year = None
    with transaction.atomic():
        # Lock the strategy row so that two simultaneous orders get different versions.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        latest = Report.objects.filter(
            strategy=strategy, year=year, to_year=to_year, unit=unit, language=language
        ).aggregate(latest=Max("version"))["latest"]
        report = Report.objects.create(
            strategy=strategy,
            unit=unit,
            year=year,
            to_year=to_year,
            language=language,
            version=(latest or 0) + 1,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        transaction.on_commit(lambda: render_report.delay(report.pk))
    return report


# --- the snapshot ---------------------------------------------------------------


def _text(row: dict[str, Any], field: str, language: str) -> str:
    """A translated field of a ``values()`` row in ``language``, falling back
    like modeltranslation does (``translations.fallback.text_in``)."""
    return text_in(row, field, language).value


def _texts(row: dict[str, Any], language: str, *fields: str, **renamed: str) -> dict[str, str]:
    """Translated fields of a ``values()`` row as snapshot entries: ``{key:
    text}``, and ``{key_lang: code}`` beside each text that is in another
    language than ``language`` (so that the PDF can mark it, WCAG 3.1.2).

    ``fields`` keep their name as key; ``renamed`` maps a key to a field
    (``unit="plan__unit__name"``).
    """
    entry: dict[str, str] = {}
    for key, field in [*((field, field) for field in fields), *renamed.items()]:
        text = text_in(row, field, language)
        entry[key] = text.value
        if text.is_fallback:
            entry[f"{key}_lang"] = text.lang
    return entry


def _instance_texts(obj: Any, language: str, *fields: str) -> dict[str, str]:
    """``_texts`` for a model instance (its per-language attributes)."""
    entry: dict[str, str] = {}
    for field in fields:
        text = text_in(obj, field, language)
        entry[field] = text.value
        if text.is_fallback:
            entry[f"{field}_lang"] = text.lang
    return entry


def _fields(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in LANGUAGE_CODES]


def _number(value: Decimal | None) -> str | None:
    """Decimals as canonical strings: JSON-safe and exact."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() gives "1E+3" for 1000; keep plain digits.
    return f"{normalised:f}"


@dataclass
class _Scope:
    years: list[int]
    unit: Organisation | None

    def unit_q(self, field: str) -> Q:
        if self.unit is None:
            return Q()
        return Q(**{f"{field}__startswith": self.unit.path})


def _status_labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _plans_section(
    strategy: Strategy, scope: _Scope, language: str, goal_names: dict[int, dict[str, str]]
) -> dict[str, Any]:
    """Focus areas with their actions, plan items, assessments and budget totals.

    Actions without a focus area are grouped under their goal (or the goal of
    their objective), in the order of ``goal_names``; the rest under "Other
    actions".

    Only approved plans are reported: a plan in draft, submitted for approval
    or returned for changes is its unit's working document, which council
    members (and other units) do not see in Suunta either. An approved plan
    the owner returns for changes leaves the next report until it is approved
    again. Closing a year changes nothing: its approved plans stay in, the
    others never come in (a closed year's plans cannot be approved).
    """
    area_rows = list(
        FocusArea.objects.filter(strategy=strategy)
        .order_by("order", "number", "pk")
        .values("pk", "number", *_fields("title", "description"))
    )
    items = list(
        PlanItem.objects.filter(
            plan__strategy=strategy,
            plan__year__in=scope.years,
            plan__status=AnnualPlan.Status.APPROVED,
        )
        .filter(scope.unit_q("plan__unit__path"))
        .order_by(
            "action__focus_area__order",
            "action__order",
            "action_id",
            "plan__year",
            "plan__unit__path",
            "pk",
        )
        .values(
            "pk",
            "action_id",
            "status",
            "progress",
            "budget",
            "year_end_assessment",
            "description",
            "plan__year",
            "plan__status",
            *[f"plan__unit__name_{code}" for code in LANGUAGE_CODES],
        )
    )
    items_by_action: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        items_by_action[item["action_id"]].append(item)

    actions = Action.objects.filter(strategy=strategy)
    if scope.unit is not None:
        # A unit's report covers the actions its subtree works on or answers for.
        actions = actions.filter(
            Q(pk__in=list(items_by_action)) | scope.unit_q("responsible_units__path")
        ).distinct()
    action_rows = list(
        actions.order_by("focus_area__order", "order", "pk").values(
            "pk",
            "focus_area_id",
            "goal_id",
            "objective__goal_id",
            "number",
            "start_year",
            "end_year",
            *_fields("title"),
        )
    )
    statuses = _status_labels(PlanItem.Status.choices)
    plan_statuses = _status_labels(AnnualPlan.Status.choices)

    def action_entry(action: dict[str, Any]) -> dict[str, Any]:
        entries = []
        for item in items_by_action.get(action["pk"], []):
            entries.append(
                {
                    **_texts(item, language, unit="plan__unit__name"),
                    "year": item["plan__year"],
                    "plan_status": plan_statuses.get(item["plan__status"], item["plan__status"]),
                    "status": item["status"],
                    "status_label": statuses.get(item["status"], item["status"]),
                    "progress": item["progress"],
                    "budget": _number(item["budget"]),
                    "assessment": item["year_end_assessment"],
                }
            )
        budgets = [Decimal(entry["budget"]) for entry in entries if entry["budget"] is not None]
        return {
            "number": action["number"],
            **_texts(action, language, "title"),
            "items": entries,
            "budget_total": _number(sum(budgets, Decimal(0))) if budgets else None,
        }

    by_area: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_goal: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for action in action_rows:
        if action["focus_area_id"] is not None:
            by_area[action["focus_area_id"]].append(action_entry(action))
            continue
        goal_id = action["goal_id"] or action["objective__goal_id"]
        by_goal[goal_id if goal_id in goal_names else None].append(action_entry(action))

    def summarise(
        texts: dict[str, str], number: str, actions: list[dict[str, Any]]
    ) -> dict[str, Any]:
        entries = [entry for action in actions for entry in action["items"]]
        budgets = [Decimal(entry["budget"]) for entry in entries if entry["budget"] is not None]
        counts: dict[str, int] = defaultdict(int)
        for entry in entries:
            counts[entry["status"]] += 1
        return {
            "number": number,
            "description": "",
            **texts,
            "actions": actions,
            "item_count": len(entries),
            "status_counts": [
                {"status": value, "label": statuses[value], "count": counts[value]}
                for value, _label in PlanItem.Status.choices
                if counts[value]
            ],
            "average_progress": round(sum(e["progress"] for e in entries) / len(entries))
            if entries
            else None,
            "budget_total": _number(sum(budgets, Decimal(0))) if budgets else None,
        }

    areas = [
        summarise(
            _texts(area, language, "title", "description"),
            area["number"],
            by_area.get(area["pk"], []),
        )
        for area in area_rows
    ]
    goal_groups = [
        summarise(
            {key: value for key, value in goal.items() if key.startswith("title")},
            goal["number"],
            by_goal[goal_id],
        )
        for goal_id, goal in goal_names.items()
        if by_goal.get(goal_id)
    ]
    other = (
        summarise({"title": _("Other actions")}, "", by_goal[None]) if by_goal.get(None) else None
    )
    groups = [*areas, *goal_groups, *([other] if other else [])]
    budgets = [
        Decimal(group["budget_total"]) for group in groups if group["budget_total"] is not None
    ]
    return {
        "focus_areas": areas,
        "goal_actions": goal_groups,
        "other_actions": other,
        "budget_total": _number(sum(budgets, Decimal(0))) if budgets else None,
        "item_count": len(items),
    }


def _point_list(text: str) -> list[str]:
    """A value's points, one a line, as ``Principle.point_list`` reads them."""
    return Principle(points=text).point_list


def _goals_section(strategy: Strategy, language: str) -> dict[str, Any]:
    """Perspectives with their goals, goals without a perspective, and each
    goal's objectives. Goals are numbered in the order the report prints them;
    ``goal_names`` maps a goal's id to that number and its title."""
    perspectives = list(
        Perspective.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", *_fields("name", "description"))
    )
    goal_rows = list(
        Goal.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values(
            "pk",
            "perspective_id",
            "direction",
            *_fields("title", "description"),
            *[f"contributes_to__title_{code}" for code in LANGUAGE_CODES],
        )
    )
    objectives: dict[int, list[dict[str, str]]] = defaultdict(list)
    for objective in (
        Objective.objects.filter(goal__strategy=strategy)
        .order_by("order", "pk")
        .values("goal_id", "number", *_fields("title", "description"))
    ):
        objectives[objective["goal_id"]].append(
            {"number": objective["number"], **_texts(objective, language, "title", "description")}
        )
    goals_by_perspective: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for goal in goal_rows:
        goals_by_perspective[goal["perspective_id"]].append(goal)
    directions = _status_labels(Direction.choices)
    goal_names: dict[int, dict[str, str]] = {}

    def goal_entry(goal: dict[str, Any]) -> dict[str, Any]:
        number = str(len(goal_names) + 1)
        title = _texts(goal, language, "title")
        goal_names[goal["pk"]] = {"number": number, **title}
        return {
            "number": number,
            **title,
            **_texts(goal, language, "description", contributes_to="contributes_to__title"),
            "direction": goal["direction"],
            "direction_label": directions.get(goal["direction"], ""),
            "objectives": objectives.get(goal["pk"], []),
        }

    perspective_entries = [
        {
            **_texts(perspective, language, "name", "description"),
            "goals": [goal_entry(goal) for goal in goals_by_perspective.get(perspective["pk"], [])],
        }
        for perspective in perspectives
    ]
    # A goal whose perspective is gone (or belongs elsewhere) still reaches the report.
    known = {perspective["pk"] for perspective in perspectives}
    other_goals = [goal_entry(goal) for goal in goal_rows if goal["perspective_id"] not in known]
    return {
        "perspectives": perspective_entries,
        "other_goals": other_goals,
        "goal_names": goal_names,
    }


# What spearheads and stakeholders link, in the order the report prints it.
_LINK_ORDER = {
    "goal": ["goal__order", "goal_id"],
    "focusarea": ["focusarea__order", "focusarea__number", "focusarea_id"],
    "action": ["action__focus_area__order", "action__order", "action_id"],
}


def _linked_names(
    strategy: Strategy, through: Any, owner: str, target: str, *, numbered: bool, language: str
) -> dict[int, list[str]]:
    """Names of what the spearheads or stakeholders of a strategy link (goals,
    focus areas, actions), by the linking row's id: one query on the
    many-to-many table."""
    number = [f"{target}__number"] if numbered else []
    names: dict[int, list[str]] = defaultdict(list)
    for row in (
        through.objects.filter(**{f"{owner}__strategy": strategy})
        .order_by(*_LINK_ORDER[target])
        .values(f"{owner}_id", *number, *[f"{target}__title_{code}" for code in LANGUAGE_CODES])
    ):
        title = _text(row, f"{target}__title", language)
        prefix = row.get(f"{target}__number") or ""
        names[row[f"{owner}_id"]].append(f"{prefix} {title}".strip())
    return names


def _spearheads_section(strategy: Strategy, language: str) -> list[dict[str, Any]]:
    """Spearhead programmes with the names of the goals, focus areas and actions they link."""
    through = SpearheadProgramme
    goals = _linked_names(
        strategy,
        through.goals.through,
        "spearheadprogramme",
        "goal",
        numbered=False,
        language=language,
    )
    areas = _linked_names(
        strategy,
        through.focus_areas.through,
        "spearheadprogramme",
        "focusarea",
        numbered=True,
        language=language,
    )
    actions = _linked_names(
        strategy,
        through.actions.through,
        "spearheadprogramme",
        "action",
        numbered=True,
        language=language,
    )
    return [
        {
            **_texts(row, language, "name", "description"),
            "goals": goals.get(row["pk"], []),
            "focus_areas": areas.get(row["pk"], []),
            "actions": actions.get(row["pk"], []),
        }
        for row in SpearheadProgramme.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", *_fields("name", "description"))
    ]


def _stakeholders_section(strategy: Strategy, language: str) -> list[dict[str, Any]]:
    """Stakeholders with their kind, role and the goals and actions they are linked to."""
    goals = _linked_names(
        strategy,
        Stakeholder.goals.through,
        "stakeholder",
        "goal",
        numbered=False,
        language=language,
    )
    actions = _linked_names(
        strategy,
        Stakeholder.actions.through,
        "stakeholder",
        "action",
        numbered=True,
        language=language,
    )
    kinds = _status_labels(Stakeholder.Kind.choices)
    return [
        {
            **_texts(row, language, "name", "role"),
            "kind": row["kind"],
            "kind_label": kinds.get(row["kind"], ""),
            "goals": goals.get(row["pk"], []),
            "actions": actions.get(row["pk"], []),
        }
        for row in Stakeholder.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", "kind", *_fields("name", "role"))
    ]


def _indicators_section(strategy: Strategy, scope: _Scope, language: str) -> list[dict[str, Any]]:
    """Indicators with targets and values per year up to the report's last year."""
    last_year = scope.years[-1]
    indicators = list(
        Indicator.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values(
            "pk",
            "kind",
            "direction",
            "decimals",
            "is_percentage",
            "baseline_year",
            "baseline_value",
            "data_source",
            *_fields("name", "description", "unit_of_measure"),
            *[f"focus_area__title_{code}" for code in LANGUAGE_CODES],
        )
    )
    # Totals (no unit) always; for a unit's report also the unit's own figures,
    # which win over the totals where both exist.
    unit_filter = Q(unit__isnull=True)
    if scope.unit is not None:
        unit_filter |= Q(unit=scope.unit)
    series: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    # Targets of later years count too, as on the indicator pages: they set
    # the path (and a qualitative indicator's next level); the printed series
    # stops at the report's last year.
    for model, key, years_q in (
        (Target, "target", Q()),
        (Measurement, "value", Q(year__lte=last_year)),
    ):
        rows = (
            model.objects.filter(years_q, indicator__strategy=strategy)
            .filter(unit_filter)
            .order_by("unit_id")  # None first, so a unit's own figure overwrites the total
            .values_list("indicator_id", "year", "value", "unit_id")
        )
        for indicator_id, year, value, _unit_id in rows:
            series[indicator_id].setdefault(year, {"year": year, "target": None, "value": None})[
                key
            ] = value
    # The scales of qualitative indicators: ordinal → label, in the report's language.
    scales: dict[int, dict[int, str]] = defaultdict(dict)
    for level in (
        ScaleLevel.objects.filter(indicator__strategy=strategy)
        .order_by("ordinal")
        .values("indicator_id", "ordinal", *_fields("label"))
    ):
        scales[level["indicator_id"]][level["ordinal"]] = _text(level, "label", language)
    directions = _status_labels(Direction.choices)
    status_labels = _status_labels(IndicatorStatus.choices)
    result = []
    for indicator in indicators:
        qualitative = indicator["kind"] == IndicatorKind.QUALITATIVE
        points = [series[indicator["pk"]][year] for year in sorted(series[indicator["pk"]])]
        actuals = {
            p["year"]: p["value"]
            for p in points
            if p["value"] is not None and p["year"] <= last_year
        }
        targets = {p["year"]: p["target"] for p in points if p["target"] is not None}
        # The judgement is the indicators app's one rule (indicators.status).
        status = judge_series(
            direction=indicator["direction"],
            year=last_year,
            actuals=actuals,
            targets=targets,
            years=scope.years,
            baseline_year=indicator["baseline_year"],
            baseline=indicator["baseline_value"],
            qualitative=qualitative,
        )
        measured = [year for year in actuals if year in scope.years]
        latest_year = max(measured) if measured else None
        latest_target = None
        if latest_year is not None:
            latest_target = target_path(
                years=[latest_year],
                targets=targets,
                baseline_year=indicator["baseline_year"],
                baseline=indicator["baseline_value"],
                steps=qualitative,
            )[latest_year]
        latest_value = actuals[latest_year] if latest_year is not None else None
        result.append(
            {
                **_texts(
                    indicator,
                    language,
                    "name",
                    "description",
                    "unit_of_measure",
                    focus_area="focus_area__title",
                ),
                "kind": indicator["kind"],
                "direction": indicator["direction"],
                "direction_label": directions.get(indicator["direction"], ""),
                "decimals": indicator["decimals"],
                "is_percentage": indicator["is_percentage"],
                "baseline_year": indicator["baseline_year"],
                "baseline_value": _number(indicator["baseline_value"]),
                "data_source": indicator["data_source"],
                "series": [
                    {
                        "year": p["year"],
                        "target": _number(p["target"]),
                        "value": _number(p["value"]),
                    }
                    for p in points
                    if p["year"] <= last_year
                ],
                "latest_year": latest_year,
                "latest_value": _number(latest_value),
                "latest_target": _number(latest_target),
                "status": str(status.value),
                "status_label": status_labels[status.value],
                "on_track": {"achieved": True, "on_track": True, "off_track": False}.get(
                    status.value
                ),
                "qualitative": _qualitative_scale(
                    scales[indicator["pk"]],
                    actual=latest_value,
                    target=latest_target,
                    baseline=indicator["baseline_value"],
                )
                if qualitative
                else None,
            }
        )
    return result


def _qualitative_scale(
    levels: dict[int, str],
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None,
) -> dict[str, Any]:
    """A qualitative indicator's scale and the labels of the levels that are its
    latest actual value, that year's target and the baseline, which the PDF
    prints instead of the ordinals stored. An ordinal whose level was removed
    is printed as its number, as the indicator pages do."""

    def label(value: Decimal | None) -> str:
        return level_display(levels, value)

    return {
        "levels": [{"ordinal": ordinal, "label": text} for ordinal, text in sorted(levels.items())],
        "actual_label": label(actual),
        "target_label": label(target),
        "baseline_label": label(baseline),
    }


def _maturity_section(strategy: Strategy, scope: _Scope, language: str) -> list[dict[str, Any]]:
    """The heat map of each maturity model in the last year of the report,
    with the change since the year before: the maturity app's
    ``heatmap_build`` (agreed level, else the median of enough answers; a
    sector row), limited to the unit's subtree for a unit's report."""
    year = scope.years[-1]
    result = []
    # Levels and dimensions once for all models (heatmap_build reads them too).
    for model in (
        MaturityModel.objects.filter(strategy=strategy)
        .order_by("pk")
        .prefetch_related("levels", "dimensions")
    ):
        units = None
        if scope.unit is not None:
            units = list(
                Organisation.objects.filter(
                    assessment_rounds__model=model,
                    assessment_rounds__year=year,
                    path__startswith=scope.unit.path,
                )
                .distinct()
                .order_by("path")
            )
        heatmap = heatmap_build(model=model, year=year, units=units)
        levels = {level.ordinal: level for level in model.levels.all()}
        dimensions = {dimension.pk: dimension for dimension in model.dimensions.all()}
        result.append(
            {
                **_instance_texts(model, language, "name", "description"),
                "year": heatmap["year"],
                "previous_year": heatmap["previous_year"],
                "levels": [
                    {
                        "ordinal": level["ordinal"],
                        **_instance_texts(
                            levels[level["ordinal"]], language, "name", "description"
                        ),
                    }
                    for level in heatmap["levels"]
                ],
                "dimensions": [
                    {
                        "number": d["number"],
                        **_instance_texts(dimensions[d["id"]], language, "title"),
                    }
                    for d in heatmap["dimensions"]
                ],
                "rows": [
                    {"unit": row["unit_name"], "cells": [_heat_cell(cell) for cell in row["cells"]]}
                    for row in [*heatmap["rows"], heatmap["sector"]]
                    if any(cell["value"] is not None for cell in row["cells"])
                ],
            }
        )
    return result


def _heat_cell(cell: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": cell["value"],
        "level": cell["level"]["ordinal"] if cell["level"] else None,
        "label": str(cell["label"]),
        "previous": cell["previous"],
        "change": cell["change"],
        "direction": cell["direction"],
        "change_text": str(cell["change_text"]),
    }


def report_snapshot_build(
    *,
    strategy: Strategy,
    year: int,
    to_year: int | None,
    unit: Organisation | None,
    language: str,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """Gather everything the report shows into plain JSON.

    Texts are taken in ``language`` with the fi → sv → en fallback; labels of
    statuses are frozen in that language too. The number of queries does not
    depend on the amount of data. ``as_of`` (the day the data was frozen) is
    kept at day precision so that the same data gives the same document on
    the same day, whether ordered in the browser or rendered by hand.
    """
    years = list(range(year, (to_year or year) + 1))
    scope = _Scope(years=years, unit=unit)
    as_of = timezone.localtime(as_of or timezone.now())
    with translation.override(language):
        row = (
            Strategy.objects.filter(pk=strategy.pk)
            .values(
                "pk",
                "slug",
                "period_start",
                "period_end",
                "status",
                "approved_on",
                "decision_reference",
                "organisation__path",
                *_fields("title", "motto", "purpose", "introduction", "decision_body"),
                *[f"organisation__name_{code}" for code in LANGUAGE_CODES],
            )
            .get()
        )
        ancestor_ids = [int(part) for part in row["organisation__path"].split("/") if part]
        ancestors = {
            org["pk"]: _text(org, "name", language)
            for org in Organisation.objects.filter(pk__in=ancestor_ids).values(
                "pk", *_fields("name")
            )
        }
        visions = [
            _texts(vision, language, "label", "text")
            for vision in Vision.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*_fields("label", "text"))
        ]
        values = [
            {
                **_texts(value, language, "title", "description", "points"),
                "points": _point_list(_text(value, "points", language)),
            }
            for value in Principle.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*_fields("title", "description", "points"))
        ]
        sections = [
            {"number": section["number"], **_texts(section, language, "title", "body")}
            for section in Section.objects.filter(strategy=strategy)
            .order_by("order", "number", "pk")
            .values("number", *_fields("title", "body"))
        ]
        target_states = [
            _texts(ts, language, "title", "body")
            for ts in TargetState.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*_fields("title", "body"))
        ]
        trade_offs: dict[int, list[dict[str, str]]] = defaultdict(list)
        for trade in (
            TradeOff.objects.filter(choice__strategy=strategy)
            .order_by("order", "pk")
            .values("choice_id", *_fields("invest_in", "more_than"))
        ):
            trade_offs[trade["choice_id"]].append(_texts(trade, language, "invest_in", "more_than"))
        groups = _status_labels(StrategicChoice.Group.choices)
        choices = []
        for choice in (
            StrategicChoice.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(
                "pk", "group", *_fields("theme", "question", "invest_in", "more_than", "summary")
            )
        ):
            statements = [_texts(choice, language, "invest_in", "more_than")]
            statements = [s for s in statements if s["invest_in"]] + trade_offs.get(
                choice["pk"], []
            )
            choices.append(
                {
                    "group": choice["group"],
                    "group_label": groups.get(choice["group"], ""),
                    **_texts(choice, language, "theme", "question", "summary"),
                    "trade_offs": statements,
                }
            )
        unit_entry = None
        if unit is not None:
            unit_entry = {
                "id": unit.pk,
                **_texts(
                    Organisation.objects.filter(pk=unit.pk).values(*_fields("name")).get(),
                    language,
                    "name",
                ),
            }
        goals = _goals_section(strategy, language)
        plans = _plans_section(strategy, scope, language, goals["goal_names"])
        snapshot = {
            "schema": SNAPSHOT_SCHEMA,
            "language": language,
            "as_of": as_of.date().isoformat(),
            "year": year,
            "to_year": to_year if to_year and to_year != year else None,
            "years": years,
            "organisation": {
                **_texts(row, language, name="organisation__name"),
                "hierarchy": [ancestors[pk] for pk in ancestor_ids if pk in ancestors],
            },
            "unit": unit_entry,
            "strategy": {
                "id": row["pk"],
                "slug": row["slug"],
                **_texts(
                    row, language, "title", "motto", "purpose", "introduction", "decision_body"
                ),
                "period_start": row["period_start"],
                "period_end": row["period_end"],
                "approved_on": row["approved_on"].isoformat() if row["approved_on"] else None,
                "decision_reference": row["decision_reference"],
            },
            "visions": visions,
            "values": values,
            "target_states": target_states,
            "choices": choices,
            "perspectives": goals["perspectives"],
            "other_goals": goals["other_goals"],
            "spearheads": _spearheads_section(strategy, language),
            "sections": sections,
            "stakeholders": _stakeholders_section(strategy, language),
            "focus_areas": plans["focus_areas"],
            "goal_actions": plans["goal_actions"],
            "other_actions": plans["other_actions"],
            "budget_total": plans["budget_total"],
            "item_count": plans["item_count"],
            "indicators": _indicators_section(strategy, scope, language),
            "maturity": _maturity_section(strategy, scope, language),
        }
    # A JSON round trip proves the snapshot is plain data (and is what is stored).
    return json.loads(json.dumps(snapshot, ensure_ascii=False))


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    """A stable fingerprint of a snapshot (sorted keys, no whitespace)."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- rendering ------------------------------------------------------------------


def report_html_build(*, snapshot: dict[str, Any]) -> str:
    """The report's HTML (with its print CSS and SVG charts inlined)."""
    from .pdf import build_html

    return build_html(snapshot)


def report_render(*, snapshot: dict[str, Any]) -> bytes:
    """Render a snapshot to a tagged PDF (PDF/UA-1) with fonts embedded.

    Deterministic: dates in the metadata come from the snapshot and the
    file identifier from its digest, so the same snapshot gives the same bytes.
    """
    from .pdf import html_to_pdf

    return html_to_pdf(report_html_build(snapshot=snapshot), identifier=snapshot_digest(snapshot))


# --- the job --------------------------------------------------------------------


def report_filename(report: Report) -> str:
    """The name under which a report is stored and downloaded."""
    years = f"{report.year}-{report.to_year}" if report.to_year else str(report.year)
    unit = f"-{slugify(report.unit.name)[:40]}" if report.unit_id else ""
    return f"{report.strategy.slug}{unit}-{years}-{report.language}-v{report.version}.pdf"


def _store(report: Report, content: bytes) -> str:
    """Write the PDF under its final name atomically and return that name.

    The name depends only on the report (id and version), so a job that runs
    twice writes the same path: there is never a second file. The bytes go to
    a temporary file in the same folder first and are moved into place with
    ``os.replace``, so a reader never sees a half-written PDF.
    """
    name = f"reports/{report.strategy_id}/{report.pk}/{report_filename(report)}"
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".rendering-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name
    # Other storages (object stores) write an object in one request.
    from django.core.files.base import ContentFile

    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))


def _test_delay() -> None:
    """Slow the rendering down for the tests that kill a worker mid-job.

    Only the test suite sets SUUNTA_REPORT_TEST_DELAY; production never does.
    """
    delay = os.environ.get("SUUNTA_REPORT_TEST_DELAY")
    if delay:
        time.sleep(float(delay))


def report_run(*, report_id: int) -> Report:
    """Render one report: idempotent by report id.

    A report that is already done (or failed) is left alone, so a
    re-delivered job does nothing. The snapshot is frozen once, before
    rendering, so a job that runs again after its worker died renders the
    same data. Transient errors propagate (the task retries them); any other
    error marks the report failed with a reason people can read.
    """
    # Done and failed are final: a message delivered again later (Redis, after
    # the reaper gave up on it) must not bring a failed version back to life.
    claimed = Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).update(
        status=Report.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        error="",
    )
    report = Report.objects.select_related("strategy", "unit").get(pk=report_id)
    if not claimed:
        return report
    try:
        if report.snapshot is None:
            report.snapshot = report_snapshot_build(
                strategy=report.strategy,
                year=report.year,
                to_year=report.to_year,
                unit=report.unit,
                language=report.language,
            )
            Report.objects.filter(pk=report.pk, snapshot__isnull=True).update(
                snapshot=report.snapshot
            )
            report.refresh_from_db(fields=["snapshot"])
        _test_delay()
        content = report_render(snapshot=report.snapshot)
        name = _store(report, content)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        report_fail(report_id=report_id, exc=exc)
        report.refresh_from_db()
        return report
    Report.objects.filter(pk=report.pk).exclude(status=Report.Status.DONE).update(
        status=Report.Status.DONE,
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        finished_at=timezone.now(),
        error="",
    )
    report.refresh_from_db()
    return report


def report_requeue(*, report_id: int, exc: BaseException) -> None:
    """Show that an attempt failed and another one is coming."""
    report = Report.objects.get(pk=report_id)
    with translation.override(report.language):
        note = _("Attempt %(attempt)s failed (%(error)s); trying again.") % {
            "attempt": report.attempts,
            "error": _describe(exc),
        }
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.QUEUED, error=note
    )


def report_fail(*, report_id: int, exc: BaseException, attempts_exhausted: bool = False) -> None:
    """Mark a report failed with a reason its orderer can read, in the report's language."""
    report = Report.objects.get(pk=report_id)
    if report.status == Report.Status.DONE:
        return
    with translation.override(report.language):
        if attempts_exhausted:
            reason = _(
                "The report could not be rendered after %(attempts)s attempts: %(error)s"
            ) % {
                "attempts": report.attempts,
                "error": _describe(exc),
            }
        else:
            reason = _("The report could not be rendered: %(error)s") % {"error": _describe(exc)}
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def _describe(exc: BaseException) -> str:
    """A reason people can read, not a traceback."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _("rendering took longer than the time limit.")
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        return _("the file could not be saved (%(detail)s).") % {"detail": detail}
    if isinstance(exc, DatabaseError):
        return _("the database was not available.")
    return f"{type(exc).__name__}: {exc}"


# --- stalled jobs and ordering again ----------------------------------------------


@dataclass
class ReapResult:
    """What one pass of the reaper did: report ids queued again and failed."""

    requeued: list[int]
    failed: list[int]


def _stale_q(now: datetime) -> Q:
    """Reports whose job no live worker can still be doing at ``now``.

    Running: longer than ``SUUNTA_REPORT_RUNNING_STALE_SECONDS`` since the
    attempt started. The default is the task's hard time limit plus a
    margin: a live worker kills its child at the time limit, so a job
    running past it has lost its worker (killed, out of memory, machine gone).

    Queued: longer than ``SUUNTA_REPORT_QUEUED_STALE_SECONDS`` since it was
    ordered (or queued again by the reaper). The default is the time limit ×
    (retries + 1) + the longest back-off × retries + the margin, so that a
    job waiting between its retries is never taken for lost.
    """
    running_cutoff = now - timedelta(seconds=settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS)
    queued_cutoff = now - timedelta(seconds=settings.SUUNTA_REPORT_QUEUED_STALE_SECONDS)
    return Q(status=Report.Status.RUNNING, started_at__lt=running_cutoff) | Q(
        Q(requeued_at__isnull=True, requested_at__lt=queued_cutoff)
        | Q(requeued_at__lt=queued_cutoff),
        status=Report.Status.QUEUED,
    )


def report_jobs_reap(*, now: datetime | None = None) -> ReapResult:
    """Queue stalled report jobs again once, then fail them with a reason.

    A job is stalled when it has been queued or running for longer than the
    bounds of ``_stale_q``. Such a report is queued again (a new message) if
    the reaper has not done so before and it has attempts left
    (``SUUNTA_REPORT_MAX_RETRIES`` + 1); otherwise it is marked failed with a
    ``Report.Failure`` code, worded in the reader's language when shown.

    Every change is a conditional UPDATE that repeats the staleness test, so
    two reapers running at once (or a worker claiming the job meanwhile)
    never both act on one report: a report is queued again or failed by
    exactly one of them, and only the one that queued it sends the message.
    """
    now = now or timezone.now()
    result = ReapResult(requeued=[], failed=[])
    stale = _stale_q(now)
    candidates = (
        Report.objects.filter(stale)
        .order_by("pk")
        .values_list("pk", "status", "attempts", "requeued_at")
    )
    for pk, status, attempts, requeued_at in candidates:
        outcome = _reap_one(
            pk=pk, status=status, attempts=attempts, requeued_at=requeued_at, stale=stale, now=now
        )
        if outcome == "requeued":
            result.requeued.append(pk)
        elif outcome == "failed":
            result.failed.append(pk)
    return result


def _reap_one(
    *, pk: int, status: str, attempts: int, requeued_at: datetime | None, stale: Q, now: datetime
) -> str | None:
    """Queue one stalled report again or fail it; None when another reaper
    or a worker got there first."""
    from .tasks import render_report

    mine = Report.objects.filter(stale, pk=pk, status=status)
    if requeued_at is None and attempts < settings.SUUNTA_REPORT_MAX_RETRIES + 1:
        if not mine.filter(requeued_at__isnull=True).update(
            status=Report.Status.QUEUED, requeued_at=now, error=""
        ):
            return None
        logger.warning("Report %s was %s with no live worker; queued again", pk, status)
        transaction.on_commit(lambda: render_report.delay(pk))
        return "requeued"
    failure = (
        Report.Failure.WORKER_LOST
        if status == Report.Status.RUNNING
        else Report.Failure.NOT_PICKED_UP
    )
    if not mine.update(status=Report.Status.FAILED, failure=failure, error="", finished_at=now):
        return None
    logger.warning("Report %s was %s with no live worker; marked failed (%s)", pk, status, failure)
    return "failed"


def report_reorder(*, report: Report, user: AbstractBaseUser) -> Report:
    """Render a finished or failed report again: a new version with the same
    years, unit and language (``report_order``; a version never changes).

    The caller has checked that ``user`` may order it (``Report.objects.orderable_by``).
    """
    return report_order(
        strategy=report.strategy,
        user=user,
        year=report.year,
        to_year=report.to_year,
        unit=report.unit,
        language=report.language,
    )
