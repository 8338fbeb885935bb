"""A strategy as a StratML document (ISO 17469).

Part 1 (``StrategicPlan``) holds the plan: organisation, vision, mission,
values, goals with objectives and stakeholders. A strategy with indicators is
written as Part 2 (``PerformancePlanOrReport``), whose objectives carry
performance indicators with their targets and actual results per year: a
*Performance_Report* once a result has been measured, else a
*Performance_Plan*.

How Suunta's parts map (read back the same way by ``stratml.reading``):

- the strategy's title, introduction and motto → the plan's ``Name``,
  ``Description`` and ``OtherInformation``; its purpose → ``Mission``;
  its period → ``AdministrativeInformation`` start and end dates;
- visions → the one ``Vision`` (several are written as paragraphs that start
  with their label);
- values (principles) → ``Value``; their points → lines "- point" after the
  description;
- goals and their objectives → ``Goal`` / ``Objective``;
- focus areas and their actions → ``Goal`` / ``Objective`` too, told apart by
  their ``Identifier`` (``focus-area-7``, ``action-12``); actions without a
  focus area → the objectives of a goal identified ``actions``;
- strategic choices → ``Goal`` identified ``choice-<group>-<pk>`` (theme,
  question, summary in ``OtherInformation``), each "we invest in … more
  than …" an ``Objective`` (name and description);
- target states and spearhead programmes → ``Goal`` identified
  ``target-state-<pk>`` and ``spearhead-<pk>`` (a programme's links to goals,
  focus areas and actions are not written);
- stakeholders → ``Stakeholder`` of the goals they are linked to, the others
  of the ``Organization``; their role → ``Description``;
- indicators → ``PerformanceIndicator`` in the objective (or action) they
  belong to. Part 2 has no indicators on goals, so a goal's or focus area's
  own indicators go to an objective identified ``goal-3-indicators``, and
  indicators of the whole strategy to a goal identified ``indicators``.
  A qualitative indicator's scale is its ``UnitOfMeasurement`` ("low / medium
  / high") and its values are ``Descriptor`` levels.

Sections and perspectives have no StratML counterpart and are not written. Texts are
written in the strategy's main language. Values of single units are not
written, only the strategy's totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from strategy import versions
from strategy.models import FocusArea, Goal, Stakeholder, StrategicChoice, Strategy

if TYPE_CHECKING:
    import xmlschema
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

PART1_NS = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NS = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_FILES = {
    PART1_NS: SCHEMA_DIR / "StrategicPlan-ISO-1.1-20140401.xsd",
    PART2_NS: SCHEMA_DIR / "PerformancePlanOrReport-ISO-2.2.8-20160506.xsd",
}
# The scale of a qualitative indicator in ``UnitOfMeasurement``.
LEVEL_SEPARATOR = " / "
POINT_PREFIX = "- "

# Identifiers of the containers that StratML needs and Suunta has no part for.
LOOSE_ACTIONS_ID = "actions"
STRATEGY_INDICATORS_ID = "indicators"
STRATEGY_INDICATORS_OBJECTIVE_ID = "indicators-list"
NO_GOALS_ID = "no-goals"
# A strategic choice is a goal "choice-<group>-<pk>"; its own "we invest in …
# more than …" an objective "choice-<pk>-trade-off", its further ones "trade-off-<pk>".
CHOICE_PREFIX = "choice-"
CHOICE_TRADE_OFF_SUFFIX = "-trade-off"
TRADE_OFF_PREFIX = "trade-off-"
# Target states and spearhead programmes are goals without objectives.
TARGET_STATE_PREFIX = "target-state-"
SPEARHEAD_PREFIX = "spearhead-"
OWN_INDICATORS_SUFFIX = "-indicators"


@cache
def schema_for(namespace: str) -> xmlschema.XMLSchema:
    """The parsed XSD of Part 1 or Part 2 (parsed once per process)."""
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_FILES[namespace]))


def stratml_validate(document: bytes) -> list[str]:
    """The schema errors of a StratML document we wrote (empty: valid)."""
    from defusedxml.ElementTree import fromstring

    root = fromstring(document, forbid_dtd=True)
    namespace = root.tag[1:].partition("}")[0]
    return [str(error.reason or error) for error in schema_for(namespace).iter_errors(document)]


def _number(value: Decimal) -> str:
    """A decimal as xsd:decimal, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


class _Writer:
    """Builds the elements in one namespace, leaving out empty optional ones."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def element(
        self, parent: ET.Element | None, name: str, text: str | None = None, **attributes: str
    ) -> ET.Element:
        tag = f"{{{self.namespace}}}{name}"
        node = (
            ET.Element(tag, attributes)
            if parent is None
            else ET.SubElement(parent, tag, attributes)
        )
        if text is not None:
            node.text = text
        return node

    def optional(self, parent: ET.Element, name: str, text: str | None) -> None:
        if text:
            self.element(parent, name, text)


def _stakeholder_type(stakeholder: Stakeholder) -> str:
    if stakeholder.kind in (
        Stakeholder.Kind.PARTNER,
        Stakeholder.Kind.FUNDER,
        Stakeholder.Kind.AUTHORITY,
    ):
        return "Organization"
    return "Generic_Group"


def _principle_text(principle: Any) -> str:
    """A value's description followed by its points, one "- point" a line."""
    lines = [principle.description.strip()] if principle.description.strip() else []
    lines += [POINT_PREFIX + point for point in principle.point_list]
    return "\n".join(lines)


def _vision_text(visions: list[Any]) -> str:
    if len(visions) == 1 and not visions[0].label:
        return visions[0].text
    return "\n\n".join(
        f"{vision.label}: {vision.text}" if vision.label else vision.text for vision in visions
    )


def _url_or_empty(text: str) -> str:
    try:
        URLValidator()(text)
    except ValidationError:
        return ""
    return text


def _readable_strategy(user: AbstractBaseUser | AnonymousUser, strategy: Strategy) -> Strategy:
    """The strategy as the user may read it: the working copy for members of
    the owning organisation (and above), else the approved version, as the
    overview shows it."""
    live = (
        Strategy.objects.filter(pk=strategy.pk)
        .select_related("organisation")
        .prefetch_related(
            "visions",
            "principles",
            Prefetch("stakeholders", queryset=Stakeholder.objects.prefetch_related("goals")),
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related("objectives").order_by("order", "pk"),
            ),
            Prefetch("focus_areas", queryset=FocusArea.objects.prefetch_related("actions")),
            Prefetch("choices", queryset=StrategicChoice.objects.prefetch_related("trade_offs")),
            "actions",
            "target_states",
            "spearheads",
            "indicators",
        )
        .get()
    )
    state = versions.overview_state(user, live)
    if state.shown is None:
        return live
    return versions.frozen_strategy(live, state.shown.snapshot)


class _Values:
    """The totals (no unit) of the exported indicators, read in three queries."""

    def __init__(self, indicator_ids: Iterable[int]) -> None:
        ids = list(indicator_ids)
        self.targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
        self.actuals: dict[int, dict[int, Decimal]] = defaultdict(dict)
        self.levels: dict[int, list[str]] = defaultdict(list)
        for indicator_id, year, value in Target.objects.filter(
            indicator_id__in=ids, unit__isnull=True
        ).values_list("indicator_id", "year", "value"):
            self.targets[indicator_id][year] = value
        for indicator_id, year, value in Measurement.objects.filter(
            indicator_id__in=ids, unit__isnull=True
        ).values_list("indicator_id", "year", "value"):
            self.actuals[indicator_id][year] = value
        for level in ScaleLevel.objects.filter(indicator_id__in=ids).order_by(
            "indicator_id", "ordinal"
        ):
            self.levels[level.indicator_id].append(level.label)

    @property
    def any_actual(self) -> bool:
        return any(self.actuals.values())


def stratml_document(
    *, strategy: Strategy, user: AbstractBaseUser | AnonymousUser
) -> tuple[bytes, str]:
    """The strategy as the user may read it, as a StratML document, and the
    namespace of the part it was written in (Part 1, or Part 2 when the
    strategy has indicators)."""
    readable = _readable_strategy(user, strategy)
    with translation.override(strategy.main_language):
        return _build(readable)


def _build(strategy: Strategy) -> tuple[bytes, str]:
    indicators = sorted(strategy.indicators.all(), key=lambda i: (i.order, i.pk))
    performance = bool(indicators)
    namespace = PART2_NS if performance else PART1_NS
    w = _Writer(namespace)
    values = _Values(indicator.pk for indicator in indicators)
    if performance:
        kind = "Performance_Report" if values.any_actual else "Performance_Plan"
        root = w.element(None, "PerformancePlanOrReport", Type=kind)
    else:
        root = w.element(None, "StrategicPlan")
    w.element(root, "Name", strategy.title)
    w.optional(root, "Description", strategy.introduction)
    w.optional(root, "OtherInformation", strategy.motto)
    core = w.element(root, "StrategicPlanCore")

    stakeholders = sorted(strategy.stakeholders.all(), key=lambda s: (s.order, s.pk))
    by_goal: dict[int, list[Stakeholder]] = defaultdict(list)
    unlinked = []
    for stakeholder in stakeholders:
        goal_ids = [goal.pk for goal in stakeholder.goals.all()]
        for goal_id in goal_ids:
            by_goal[goal_id].append(stakeholder)
        if not goal_ids:
            unlinked.append(stakeholder)

    organisation = w.element(core, "Organization")
    w.element(organisation, "Name", strategy.organisation.name)
    w.optional(organisation, "Acronym", strategy.organisation.short_name)
    for stakeholder in unlinked:
        _write_stakeholder(w, organisation, stakeholder)

    visions = sorted(strategy.visions.all(), key=lambda v: (v.order, v.pk))
    if visions:
        w.element(w.element(core, "Vision"), "Description", _vision_text(visions))
    if strategy.purpose:
        w.element(w.element(core, "Mission"), "Description", strategy.purpose)
    for principle in sorted(strategy.principles.all(), key=lambda p: (p.order, p.pk)):
        value = w.element(core, "Value")
        w.element(value, "Name", principle.title)
        w.optional(value, "Description", _principle_text(principle))

    placement = _Placement(indicators)
    goals = sorted(strategy.goals.all(), key=lambda g: (g.order, g.pk))
    for index, goal in enumerate(goals, start=1):
        element = _write_goal(
            w, core, f"goal-{goal.pk}", goal.title, goal.description, str(index), by_goal[goal.pk]
        )
        for objective in sorted(goal.objectives.all(), key=lambda o: (o.order, o.pk)):
            node = _write_objective(
                w,
                element,
                f"objective-{objective.pk}",
                objective.title,
                objective.description,
                objective.number,
            )
            _write_indicators(w, node, placement.objectives[objective.pk], values)
        _write_own_indicators(
            w, element, f"goal-{goal.pk}", goal.title, placement.goals[goal.pk], values
        )

    areas = sorted(strategy.focus_areas.all(), key=lambda a: (a.order, a.number, a.pk))
    for area in areas:
        element = _write_goal(
            w, core, f"focus-area-{area.pk}", area.title, area.description, area.number, []
        )
        for action in sorted(area.actions.all(), key=lambda a: (a.order, a.pk)):
            node = _write_objective(
                w, element, f"action-{action.pk}", action.title, action.description, action.number
            )
            _write_indicators(w, node, placement.actions[action.pk], values)
        _write_own_indicators(
            w, element, f"focus-area-{area.pk}", area.title, placement.areas[area.pk], values
        )

    loose = sorted(
        (a for a in strategy.actions.all() if a.focus_area_id is None),
        key=lambda a: (a.order, a.pk),
    )
    if loose:
        element = _write_goal(w, core, LOOSE_ACTIONS_ID, _actions_label(), "", "", [])
        for action in loose:
            node = _write_objective(
                w, element, f"action-{action.pk}", action.title, action.description, action.number
            )
            _write_indicators(w, node, placement.actions[action.pk], values)

    target_states = sorted(strategy.target_states.all(), key=lambda t: (t.order, t.pk))
    for index, state in enumerate(target_states, start=1):
        _write_goal(
            w, core, f"{TARGET_STATE_PREFIX}{state.pk}", state.title, state.body, str(index), []
        )
    spearheads = sorted(strategy.spearheads.all(), key=lambda p: (p.order, p.pk))
    for index, spearhead in enumerate(spearheads, start=1):
        _write_goal(
            w,
            core,
            f"{SPEARHEAD_PREFIX}{spearhead.pk}",
            spearhead.name,
            spearhead.description,
            str(index),
            [],
        )

    choices = sorted(strategy.choices.all(), key=lambda c: (c.order, c.pk))
    for index, choice in enumerate(choices, start=1):
        _write_choice(w, core, choice, str(index))

    if placement.rest:
        element = _write_goal(w, core, STRATEGY_INDICATORS_ID, _indicators_label(), "", "", [])
        node = _write_objective(
            w, element, STRATEGY_INDICATORS_OBJECTIVE_ID, _indicators_label(), "", ""
        )
        _write_indicators(w, node, placement.rest, values)

    if not (goals or areas or loose or choices or target_states or spearheads or placement.rest):
        # A plan needs at least one goal.
        _write_goal(w, core, NO_GOALS_ID, strategy.title, "", "", [])

    admin = w.element(root, "AdministrativeInformation")
    w.element(admin, "StartDate", f"{strategy.period_start:04d}-01-01")
    w.element(admin, "EndDate", f"{strategy.period_end:04d}-12-31")
    if strategy.approved_on:
        w.element(admin, "PublicationDate", strategy.approved_on.isoformat())
    w.optional(admin, "Source", _url_or_empty(strategy.source))

    ET.register_namespace("", namespace)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), namespace


def _actions_label() -> str:
    return gettext("Actions")


def _indicators_label() -> str:
    return gettext("Indicators")


class _Placement:
    """Which exported element each indicator goes to."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.objectives: dict[int, list[Indicator]] = defaultdict(list)
        self.actions: dict[int, list[Indicator]] = defaultdict(list)
        self.goals: dict[int, list[Indicator]] = defaultdict(list)
        self.areas: dict[int, list[Indicator]] = defaultdict(list)
        self.rest: list[Indicator] = []
        for indicator in indicators:
            if indicator.action_id:
                self.actions[indicator.action_id].append(indicator)
            elif indicator.objective_id:
                self.objectives[indicator.objective_id].append(indicator)
            elif indicator.focus_area_id:
                self.areas[indicator.focus_area_id].append(indicator)
            elif indicator.goal_id:
                self.goals[indicator.goal_id].append(indicator)
            else:
                self.rest.append(indicator)


def _write_stakeholder(w: _Writer, parent: ET.Element, stakeholder: Stakeholder) -> None:
    element = w.element(parent, "Stakeholder", StakeholderTypeType=_stakeholder_type(stakeholder))
    w.element(element, "Name", stakeholder.name)
    w.optional(element, "Description", stakeholder.role)


def _write_goal(
    w: _Writer,
    parent: ET.Element,
    identifier: str,
    name: str,
    description: str,
    sequence: str,
    stakeholders: list[Stakeholder],
) -> ET.Element:
    element = w.element(parent, "Goal")
    w.element(element, "Name", name)
    w.element(element, "Description", description or "")
    w.element(element, "Identifier", identifier)
    w.optional(element, "SequenceIndicator", sequence)
    for stakeholder in stakeholders:
        _write_stakeholder(w, element, stakeholder)
    return element


def _write_choice(w: _Writer, parent: ET.Element, choice: StrategicChoice, sequence: str) -> None:
    """A strategic choice as a goal: its theme, question and summary, and each
    "we invest in … more than …" as an objective (its name and description)."""
    element = w.element(parent, "Goal")
    w.element(element, "Name", choice.theme)
    w.element(element, "Description", choice.question or "")
    w.element(element, "Identifier", f"{CHOICE_PREFIX}{choice.group}-{choice.pk}")
    w.element(element, "SequenceIndicator", sequence)
    w.optional(element, "OtherInformation", choice.summary)
    if choice.invest_in or choice.more_than:
        _write_objective(
            w,
            element,
            f"{CHOICE_PREFIX}{choice.pk}{CHOICE_TRADE_OFF_SUFFIX}",
            choice.invest_in,
            choice.more_than,
            "",
        )
    for trade_off in sorted(choice.trade_offs.all(), key=lambda t: (t.order, t.pk)):
        _write_objective(
            w,
            element,
            f"{TRADE_OFF_PREFIX}{trade_off.pk}",
            trade_off.invest_in,
            trade_off.more_than,
            "",
        )


def _write_objective(
    w: _Writer, parent: ET.Element, identifier: str, name: str, description: str, sequence: str
) -> ET.Element:
    element = w.element(parent, "Objective")
    w.element(element, "Name", name)
    w.optional(element, "Description", description)
    w.element(element, "Identifier", identifier)
    w.optional(element, "SequenceIndicator", sequence)
    return element


def _write_own_indicators(
    w: _Writer,
    goal: ET.Element,
    prefix: str,
    name: str,
    indicators: list[Indicator],
    values: _Values,
) -> None:
    if indicators:
        node = _write_objective(w, goal, prefix + OWN_INDICATORS_SUFFIX, name, "", "")
        _write_indicators(w, node, indicators, values)


def _write_indicators(
    w: _Writer, objective: ET.Element, indicators: list[Indicator], values: _Values
) -> None:
    for indicator in indicators:
        qualitative = indicator.kind == IndicatorKind.QUALITATIVE
        levels = values.levels[indicator.pk]
        element = w.element(
            objective,
            "PerformanceIndicator",
            PerformanceIndicatorType="Qualitative" if qualitative else "Quantitative",
        )
        w.element(element, "MeasurementDimension", indicator.name)
        if qualitative:
            unit = LEVEL_SEPARATOR.join(levels)
        else:
            unit = indicator.unit_of_measure or ("%" if indicator.is_percentage else "")
        w.element(element, "UnitOfMeasurement", unit)
        w.element(element, "Identifier", f"indicator-{indicator.pk}")
        targets, actuals = values.targets[indicator.pk], values.actuals[indicator.pk]
        for year in sorted(set(targets) | set(actuals)):
            instance = w.element(element, "MeasurementInstance")
            for name, series in (("TargetResult", targets), ("ActualResult", actuals)):
                if year not in series:
                    continue
                result = w.element(instance, name)
                w.element(result, "StartDate", f"{year:04d}-01-01")
                w.element(result, "EndDate", f"{year:04d}-12-31")
                value = series[year]
                if qualitative:
                    ordinal = int(value)
                    label = levels[ordinal] if 0 <= ordinal < len(levels) else str(ordinal)
                    descriptor = w.element(result, "Descriptor")
                    w.element(descriptor, "DescriptorName", indicator.name)
                    w.element(descriptor, "DescriptorValue", label)
                else:
                    w.element(result, "NumberOfUnits", _number(value))
        w.optional(element, "OtherInformation", indicator.description)
