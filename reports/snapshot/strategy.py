"""Snapshot sections of the strategy itself: the organisation and strategy,
visions, values, sections, target states, strategic choices, goals with their
objectives, spearhead programmes and stakeholders."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from strategy.models import (
    Direction,
    Goal,
    Objective,
    Organisation,
    Perspective,
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

from .common import LANGUAGE_CODES, choice_labels, language_fields, text_of, texts_of


def _point_list(text: str) -> list[str]:
    """A value's points, one a line, as ``Principle.point_list`` reads them."""
    return Principle(points=text).point_list


def _objectives(strategy: Strategy, language: str) -> dict[int, list[dict[str, str]]]:
    """Each goal's objectives, by the goal's id."""
    objectives: dict[int, list[dict[str, str]]] = defaultdict(list)
    for objective in (
        Objective.objects.filter(goal__strategy=strategy)
        .order_by("order", "pk")
        .values("goal_id", "number", *language_fields("title", "description"))
    ):
        objectives[objective["goal_id"]].append(
            {"number": objective["number"], **texts_of(objective, language, "title", "description")}
        )
    return objectives


def goals_section(strategy: Strategy, language: str) -> dict[str, Any]:
    """Perspectives with their goals, goals without a perspective, and each
    goal's objectives. Goals are numbered in the order the report prints them;
    ``goal_names`` maps a goal's id to that number and its title."""
    perspectives = list(
        Perspective.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", *language_fields("name", "description"))
    )
    goal_rows = list(
        Goal.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values(
            "pk",
            "perspective_id",
            "direction",
            *language_fields("title", "description"),
            *[f"contributes_to__title_{code}" for code in LANGUAGE_CODES],
        )
    )
    objectives = _objectives(strategy, language)
    goals_by_perspective: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for goal in goal_rows:
        goals_by_perspective[goal["perspective_id"]].append(goal)
    directions = choice_labels(Direction.choices)
    goal_names: dict[int, dict[str, str]] = {}

    def goal_entry(goal: dict[str, Any]) -> dict[str, Any]:
        number = str(len(goal_names) + 1)
        title = texts_of(goal, language, "title")
        goal_names[goal["pk"]] = {"number": number, **title}
        return {
            "number": number,
            **title,
            **texts_of(goal, language, "description", contributes_to="contributes_to__title"),
            "direction": goal["direction"],
            "direction_label": directions.get(goal["direction"], ""),
            "objectives": objectives.get(goal["pk"], []),
        }

    perspective_entries = [
        {
            **texts_of(perspective, language, "name", "description"),
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
        title = text_of(row, f"{target}__title", language)
        prefix = row.get(f"{target}__number") or ""
        names[row[f"{owner}_id"]].append(f"{prefix} {title}".strip())
    return names


def spearheads_section(strategy: Strategy, language: str) -> list[dict[str, Any]]:
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
            **texts_of(row, language, "name", "description"),
            "goals": goals.get(row["pk"], []),
            "focus_areas": areas.get(row["pk"], []),
            "actions": actions.get(row["pk"], []),
        }
        for row in SpearheadProgramme.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", *language_fields("name", "description"))
    ]


def stakeholders_section(strategy: Strategy, language: str) -> list[dict[str, Any]]:
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
    kinds = choice_labels(Stakeholder.Kind.choices)
    return [
        {
            **texts_of(row, language, "name", "role"),
            "kind": row["kind"],
            "kind_label": kinds.get(row["kind"], ""),
            "goals": goals.get(row["pk"], []),
            "actions": actions.get(row["pk"], []),
        }
        for row in Stakeholder.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values("pk", "kind", *language_fields("name", "role"))
    ]


def strategy_header(strategy: Strategy, language: str) -> dict[str, Any]:
    """The organisation (with the names of the organisations above it) and
    the strategy's own texts and decision."""
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
            *language_fields("title", "motto", "purpose", "introduction", "decision_body"),
            *[f"organisation__name_{code}" for code in LANGUAGE_CODES],
        )
        .get()
    )
    ancestor_ids = [int(part) for part in row["organisation__path"].split("/") if part]
    ancestors = {
        org["pk"]: text_of(org, "name", language)
        for org in Organisation.objects.filter(pk__in=ancestor_ids).values(
            "pk", *language_fields("name")
        )
    }
    return {
        "organisation": {
            **texts_of(row, language, name="organisation__name"),
            "hierarchy": [ancestors[pk] for pk in ancestor_ids if pk in ancestors],
        },
        "strategy": {
            "id": row["pk"],
            "slug": row["slug"],
            **texts_of(row, language, "title", "motto", "purpose", "introduction", "decision_body"),
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "approved_on": row["approved_on"].isoformat() if row["approved_on"] else None,
            "decision_reference": row["decision_reference"],
        },
    }


def unit_entry(unit: Organisation | None, language: str) -> dict[str, Any] | None:
    """The unit a unit's report is about (None for the whole strategy)."""
    if unit is None:
        return None
    row = Organisation.objects.filter(pk=unit.pk).values(*language_fields("name")).get()
    return {"id": unit.pk, **texts_of(row, language, "name")}


def texts_section(strategy: Strategy, language: str) -> dict[str, Any]:
    """Visions, values, the strategy document's sections and the target states."""
    return {
        "visions": [
            texts_of(vision, language, "label", "text")
            for vision in Vision.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*language_fields("label", "text"))
        ],
        "values": [
            {
                **texts_of(value, language, "title", "description", "points"),
                "points": _point_list(text_of(value, "points", language)),
            }
            for value in Principle.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*language_fields("title", "description", "points"))
        ],
        "sections": [
            {"number": section["number"], **texts_of(section, language, "title", "body")}
            for section in Section.objects.filter(strategy=strategy)
            .order_by("order", "number", "pk")
            .values("number", *language_fields("title", "body"))
        ],
        "target_states": [
            texts_of(state, language, "title", "body")
            for state in TargetState.objects.filter(strategy=strategy)
            .order_by("order", "pk")
            .values(*language_fields("title", "body"))
        ],
    }


def choices_section(strategy: Strategy, language: str) -> list[dict[str, Any]]:
    """Strategic choices with their statements: "we invest in … more than in …"."""
    trade_offs: dict[int, list[dict[str, str]]] = defaultdict(list)
    for trade in (
        TradeOff.objects.filter(choice__strategy=strategy)
        .order_by("order", "pk")
        .values("choice_id", *language_fields("invest_in", "more_than"))
    ):
        trade_offs[trade["choice_id"]].append(texts_of(trade, language, "invest_in", "more_than"))
    groups = choice_labels(StrategicChoice.Group.choices)
    choices = []
    for choice in (
        StrategicChoice.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values(
            "pk",
            "group",
            *language_fields("theme", "question", "invest_in", "more_than", "summary"),
        )
    ):
        statements = [texts_of(choice, language, "invest_in", "more_than")]
        statements = [s for s in statements if s["invest_in"]] + trade_offs.get(choice["pk"], [])
        choices.append(
            {
                "group": choice["group"],
                "group_label": groups.get(choice["group"], ""),
                **texts_of(choice, language, "theme", "question", "summary"),
                "trade_offs": statements,
            }
        )
    return choices
