"""The snapshot's plans section: focus areas (and goals, for actions without
a focus area) with their actions and plan items, and the progress of each.

Every progress figure is the pages' ``Rollup`` (``PlanItemQuerySet.rollup``
and ``rollup_by``: done items count as 100 %, cancelled ones are left out),
computed on the items the report covers, so that the report and the pages
give the same number for the same items.

Only approved plans are reported: a plan in draft, submitted for approval or
returned for changes is its unit's working document, which council members
(and other units) do not see in Suunta either. An approved plan the owner
returns for changes leaves the next report until it is approved again.
Closing a year changes nothing: its approved plans stay in, the others never
come in (a closed year's plans cannot be approved).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from strategy.models import Action, AnnualPlan, FocusArea, PlanItem, Rollup, Strategy

from .common import LANGUAGE_CODES, Scope, choice_labels, decimal_text, language_fields, texts_of


def reported_items(strategy: Strategy, scope: Scope) -> QuerySet[PlanItem]:
    """The plan items a report covers: approved plans of its years (and unit's subtree)."""
    return PlanItem.objects.filter(
        plan__strategy=strategy,
        plan__year__in=scope.years,
        plan__status=AnnualPlan.Status.APPROVED,
    ).filter(scope.unit_q("plan__unit__path"))


@dataclass
class Rollups:
    """The roll-ups a report prints: the whole, per focus area, per goal of
    actions without a focus area (None: neither), and per unit."""

    total: Rollup
    areas: dict[object, Rollup]
    goals: dict[object, Rollup]
    units: dict[object, Rollup]


def _rollups(items: QuerySet[PlanItem], goal_ids: list[int]) -> Rollups:
    """Four queries, whatever the size. An action without a focus area
    counts under its goal, or else the goal of its objective."""
    goal = Case(
        When(action__goal__in=goal_ids, then=F("action__goal")),
        When(
            action__goal__isnull=True,
            action__objective__goal__in=goal_ids,
            then=F("action__objective__goal"),
        ),
        default=Value(None),
        output_field=IntegerField(),
    )
    return Rollups(
        total=items.rollup(),
        areas=items.rollup_by("action__focus_area"),
        goals=items.filter(action__focus_area__isnull=True)
        .annotate(report_goal=goal)
        .rollup_by("report_goal"),
        units=items.rollup_by("plan__unit"),
    )


def progress_entry(rollup: Rollup | None) -> dict[str, Any]:
    """A roll-up as snapshot data (``progress`` None when there are no items)."""
    if rollup is None or not rollup.total:
        return {"progress": None, "item_count": 0, "active": 0, "light": "grey"}
    return {
        "progress": rollup.progress,
        "item_count": rollup.total,
        "active": rollup.active,
        "light": rollup.light,
    }


def _item_rows(items: QuerySet[PlanItem]) -> list[dict[str, Any]]:
    return list(
        items.order_by(
            "action__focus_area__order",
            "action__order",
            "action_id",
            "plan__year",
            "plan__unit__path",
            "pk",
        ).values(
            "pk",
            "action_id",
            "status",
            "progress",
            "budget",
            "year_end_assessment",
            "description",
            "plan__year",
            "plan__status",
            "plan__unit_id",
            *[f"plan__unit__name_{code}" for code in LANGUAGE_CODES],
        )
    )


def _action_rows(strategy: Strategy, scope: Scope, action_ids: list[int]) -> list[dict[str, Any]]:
    actions = Action.objects.filter(strategy=strategy)
    if scope.unit is not None:
        # A unit's report covers the actions its subtree works on or answers for.
        actions = actions.filter(
            Q(pk__in=action_ids) | scope.unit_q("responsible_units__path")
        ).distinct()
    return list(
        actions.order_by("focus_area__order", "order", "pk").values(
            "pk",
            "focus_area_id",
            "goal_id",
            "objective__goal_id",
            "number",
            "start_year",
            "end_year",
            *language_fields("title"),
        )
    )


def _budget_total(budgets: list[str | None]) -> str | None:
    known = [Decimal(budget) for budget in budgets if budget is not None]
    return decimal_text(sum(known, Decimal(0))) if known else None


@dataclass
class _Labels:
    """Status labels in the report's language, read once per report."""

    items: dict[str, str]
    plans: dict[str, str]

    @classmethod
    def read(cls) -> _Labels:
        return cls(
            items=choice_labels(PlanItem.Status.choices),
            plans=choice_labels(AnnualPlan.Status.choices),
        )


def _item_entry(item: dict[str, Any], language: str, labels: _Labels) -> dict[str, Any]:
    return {
        **texts_of(item, language, unit="plan__unit__name"),
        "year": item["plan__year"],
        "plan_status": labels.plans.get(item["plan__status"], item["plan__status"]),
        "status": item["status"],
        "status_label": labels.items.get(item["status"], item["status"]),
        "progress": item["progress"],
        "budget": decimal_text(item["budget"]),
        "assessment": item["year_end_assessment"],
    }


def _action_entry(
    action: dict[str, Any], items: list[dict[str, Any]], language: str, labels: _Labels
) -> dict[str, Any]:
    entries = [_item_entry(item, language, labels) for item in items]
    return {
        "number": action["number"],
        **texts_of(action, language, "title"),
        "items": entries,
        "budget_total": _budget_total([entry["budget"] for entry in entries]),
    }


def _group_entry(
    texts: dict[str, str],
    number: str,
    actions: list[dict[str, Any]],
    rollup: Rollup | None,
    labels: _Labels,
) -> dict[str, Any]:
    """A focus area, a goal or "other actions": its actions, the items per
    status, its progress (the roll-up of its items) and its budget."""
    entries = [entry for action in actions for entry in action["items"]]
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry["status"]] += 1
    progress = progress_entry(rollup)
    return {
        "number": number,
        "description": "",
        **texts,
        "actions": actions,
        "item_count": len(entries),
        "status_counts": [
            {"status": value, "label": labels.items[value], "count": counts[value]}
            for value, _label in PlanItem.Status.choices
            if counts[value]
        ],
        "average_progress": progress["progress"] if entries else None,
        "progress": progress,
        "budget_total": _budget_total([entry["budget"] for entry in entries]),
    }


def _unit_summary(
    items: list[dict[str, Any]], units: dict[object, Rollup], language: str
) -> list[dict[str, Any]]:
    """Items, done items, progress and budget per unit, by the unit's name."""
    rows: dict[int, dict[str, Any]] = {}
    budgets: dict[int, list[str | None]] = defaultdict(list)
    for item in items:
        unit_id = item["plan__unit_id"]
        if unit_id not in rows:
            rollup = units[unit_id]
            rows[unit_id] = {
                **texts_of(item, language, unit="plan__unit__name"),
                "count": rollup.total,
                "done": rollup.counts.get(PlanItem.Status.DONE, 0),
                "average_progress": rollup.progress,
            }
        budgets[unit_id].append(decimal_text(item["budget"]))
    for unit_id, row in rows.items():
        row["budget"] = _budget_total(budgets[unit_id]) or "0"
    return sorted(rows.values(), key=lambda row: row["unit"])


def _grouped_actions(
    strategy: Strategy,
    scope: Scope,
    rows: list[dict[str, Any]],
    goal_names: dict[int, dict[str, str]],
    language: str,
    labels: _Labels,
) -> tuple[dict[int, list[dict[str, Any]]], dict[int | None, list[dict[str, Any]]]]:
    """Action entries with their items, by focus area and, for actions
    without one, by goal (None: neither), as ``_rollups`` groups the items."""
    by_action: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in rows:
        by_action[item["action_id"]].append(item)
    by_area: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_goal: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for action in _action_rows(strategy, scope, list(by_action)):
        entry = _action_entry(action, by_action.get(action["pk"], []), language, labels)
        if action["focus_area_id"] is not None:
            by_area[action["focus_area_id"]].append(entry)
            continue
        goal_id = action["goal_id"] or action["objective__goal_id"]
        by_goal[goal_id if goal_id in goal_names else None].append(entry)
    return by_area, by_goal


def plans_section(
    strategy: Strategy, scope: Scope, language: str, goal_names: dict[int, dict[str, str]]
) -> dict[str, Any]:
    """Focus areas with their actions, plan items, progress and budget totals.

    Actions without a focus area are grouped under their goal (or the goal of
    their objective), in the order of ``goal_names``; the rest under "Other
    actions".
    """
    items = reported_items(strategy, scope)
    rollups = _rollups(items, list(goal_names))
    rows = _item_rows(items)
    labels = _Labels.read()
    by_area, by_goal = _grouped_actions(strategy, scope, rows, goal_names, language, labels)
    areas = [
        _group_entry(
            texts_of(area, language, "title", "description"),
            area["number"],
            by_area.get(area["pk"], []),
            rollups.areas.get(area["pk"]),
            labels,
        )
        for area in FocusArea.objects.filter(strategy=strategy)
        .order_by("order", "number", "pk")
        .values("pk", "number", *language_fields("title", "description"))
    ]
    goal_groups = [
        _group_entry(
            {key: value for key, value in goal.items() if key.startswith("title")},
            goal["number"],
            by_goal[goal_id],
            rollups.goals.get(goal_id),
            labels,
        )
        for goal_id, goal in goal_names.items()
        if by_goal.get(goal_id)
    ]
    other = (
        _group_entry(
            {"title": _("Other actions")}, "", by_goal[None], rollups.goals.get(None), labels
        )
        if by_goal.get(None)
        else None
    )
    return {
        "focus_areas": areas,
        "goal_actions": goal_groups,
        "other_actions": other,
        "budget_total": _budget_total([decimal_text(item["budget"]) for item in rows]),
        "item_count": len(rows),
        "progress": progress_entry(rollups.total),
        "unit_summary": _unit_summary(rows, rollups.units, language),
    }
