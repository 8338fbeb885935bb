"""Reading a StratML file into the plan of a new strategy.

``stratml_read`` parses the bytes with defusedxml (no DTD, no entities, no
external references: a "billion laughs" or an external entity is refused
before anything is expanded), checks the root element and walks the
document, mapping each element it knows as ``stratml.exporting`` describes,
in reverse. Elements are found by their local name, so Part 1 and Part 2
files, the older ``http://www.stratml.net`` namespace and files whose
children are out of the schema's order are read alike.

The result is a ``ReadPlan``: plain data (JSON-ready) of what will be
created, the warnings (texts shortened, values outside the period) and every
element with content that has no place in Suunta, by its path
(``StrategicPlanCore/Goal[2]/Objective[1]/OtherInformation``). Nothing is
written to the database here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from strategy.models import Stakeholder, StrategicChoice

from .exporting import (
    CHOICE_PREFIX,
    CHOICE_TRADE_OFF_SUFFIX,
    LEVEL_SEPARATOR,
    LOOSE_ACTIONS_ID,
    NO_GOALS_ID,
    OWN_INDICATORS_SUFFIX,
    POINT_PREFIX,
    SPEARHEAD_PREFIX,
    STRATEGY_INDICATORS_ID,
    STRATEGY_INDICATORS_OBJECTIVE_ID,
    TARGET_STATE_PREFIX,
)

ROOTS = ("StrategicPlan", "PerformancePlanOrReport")
# Unmapped elements listed in a preview; a longer list says how many more.
MAX_UNMAPPED = 200
# The longest texts Suunta's fields take (the model fields' max_length).
LIMITS = {
    "strategy.title": 250,
    "strategy.motto": 250,
    "strategy.source": 300,
    "goal.title": 300,
    "objective.title": 300,
    "objective.number": 20,
    "focus_area.title": 300,
    "choice.theme": 120,
    "target_state.title": 250,
    "spearhead.name": 200,
    "focus_area.number": 10,
    "action.title": 300,
    "action.number": 20,
    "principle.title": 200,
    "stakeholder.name": 200,
    "vision.label": 120,
    "indicator.name": 250,
    "indicator.unit": 60,
    "level.label": 100,
}
MAX_LEVELS = 20
VALUE_LIMIT = Decimal("1e12")


class StratmlError(Exception):
    """A file that cannot be read at all; ``code`` names why (see ``services.MESSAGES``)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ReadPlan:
    """What a StratML file will create, and what of it cannot be mapped."""

    strategy: dict[str, Any] = field(default_factory=dict)
    visions: list[dict[str, str]] = field(default_factory=list)
    values: list[dict[str, str]] = field(default_factory=list)
    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    focus_areas: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] = field(default_factory=list)
    target_states: list[dict[str, Any]] = field(default_factory=list)
    spearheads: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[dict[str, str]] = field(default_factory=list)
    unmapped_more: int = 0

    def stored(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "visions": self.visions,
            "values": self.values,
            "stakeholders": self.stakeholders,
            "goals": self.goals,
            "focus_areas": self.focus_areas,
            "actions": self.actions,
            "choices": self.choices,
            "target_states": self.target_states,
            "spearheads": self.spearheads,
            "indicators": self.indicators,
        }

    def preview(self) -> dict[str, Any]:
        """Counts and titles for the page that asks to confirm the import."""
        objectives = sum(len(goal["objectives"]) for goal in self.goals)
        area_actions = sum(len(area["actions"]) for area in self.focus_areas)
        return {
            "title": self.strategy.get("title", ""),
            "period_start": self.strategy.get("period_start"),
            "period_end": self.strategy.get("period_end"),
            "counts": {
                "visions": len(self.visions),
                "values": len(self.values),
                "goals": len(self.goals),
                "objectives": objectives,
                "focus_areas": len(self.focus_areas),
                "actions": area_actions + len(self.actions),
                "choices": len(self.choices),
                "target_states": len(self.target_states),
                "spearheads": len(self.spearheads),
                "stakeholders": len(self.stakeholders),
                "indicators": len(self.indicators),
                "targets": sum(len(i["targets"]) for i in self.indicators),
                "actuals": sum(len(i["actuals"]) for i in self.indicators),
            },
            "goals": [
                {"title": g["title"], "objectives": [o["title"] for o in g["objectives"]]}
                for g in self.goals
            ],
            "focus_areas": [
                {"title": a["title"], "actions": [x["title"] for x in a["actions"]]}
                for a in self.focus_areas
            ],
            "actions": [a["title"] for a in self.actions],
            "choices": [c["theme"] for c in self.choices],
            "target_states": [t["title"] for t in self.target_states],
            "spearheads": [p["name"] for p in self.spearheads],
            "values": [v["title"] for v in self.values],
            "stakeholders": [s["name"] for s in self.stakeholders],
            "indicators": [i["name"] for i in self.indicators],
            "warnings": self.warnings,
            "unmapped": self.unmapped,
            "unmapped_more": self.unmapped_more,
        }


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_document(data: bytes) -> Element:
    """The root element of a StratML document; ``StratmlError`` for anything
    else: not XML, a DTD or entities (refused, never expanded), a wrong root."""
    if not data.strip():
        raise StratmlError("empty_file")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise StratmlError("forbidden_xml") from None
    except (ParseError, ValueError, UnicodeError):
        raise StratmlError("not_xml") from None
    if _local(root.tag) not in ROOTS:
        raise StratmlError("wrong_root", root=_local(root.tag)[:80])
    return root


class _Reader:
    """Walks one document, remembering which elements were mapped."""

    def __init__(self, root: Element, plan: ReadPlan) -> None:
        self.root = root
        self.plan = plan
        self.used: set[int] = set()
        self.used_attributes: set[tuple[int, str]] = set()

    # Finding elements ---------------------------------------------------------

    def children(self, element: Element | None, name: str) -> list[Element]:
        if element is None:
            return []
        found = [child for child in element if _local(child.tag) == name]
        self.used.update(id(child) for child in found)
        return found

    def child(self, element: Element | None, name: str) -> Element | None:
        found = self.children(element, name)
        return found[0] if found else None

    def text(self, element: Element | None, name: str) -> str:
        """The stripped text of the first child called ``name`` (empty when absent)."""
        child = self.child(element, name)
        return (child.text or "").strip() if child is not None else ""

    def attribute(self, element: Element, name: str) -> str:
        self.used_attributes.add((id(element), name))
        return (element.get(name) or "").strip()

    def fit(self, key: str, text: str, where: str) -> str:
        """``text`` cut to the field's length, with a warning when it was cut."""
        limit = LIMITS[key]
        if len(text) <= limit:
            return text
        self.plan.warnings.append({"code": "shortened", "params": {"where": where, "limit": limit}})
        return text[: limit - 1].rstrip() + "…"

    # The unmapped rest ----------------------------------------------------------

    def collect_unmapped(self) -> None:
        """Every element (or attribute) with content that was not mapped, by path."""
        entries: list[dict[str, str]] = []

        def walk(element: Element, path: str) -> None:
            counts: dict[str, int] = {}
            for child in element:
                name = _local(child.tag)
                if not name:
                    continue  # comments and processing instructions
                counts[name] = counts.get(name, 0) + 1
                child_path = f"{path}/{name}[{counts[name]}]" if path else f"{name}[{counts[name]}]"
                text = " ".join("".join(child.itertext()).split())
                if id(child) not in self.used:
                    if text:
                        entries.append({"path": child_path, "text": text[:200]})
                    continue
                for attribute, value in child.attrib.items():
                    local = _local(attribute)
                    if (
                        value.strip()
                        and (id(child), local) not in self.used_attributes
                        and not attribute.startswith("{")
                    ):
                        entries.append(
                            {"path": f"{child_path}/@{local}", "text": value.strip()[:200]}
                        )
                walk(child, child_path)

        walk(self.root, "")
        self.plan.unmapped = entries[:MAX_UNMAPPED]
        self.plan.unmapped_more = max(len(entries) - MAX_UNMAPPED, 0)


def _year(text: str) -> int | None:
    match = re.match(r"^\s*(\d{4})", text or "")
    if not match:
        return None
    year = int(match.group(1))
    return year if 1990 <= year <= 2100 else None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= VALUE_LIMIT:
        return None
    return value


def _split_points(text: str) -> tuple[str, str]:
    """A value's description and its points: trailing lines written "- point"."""
    lines = text.splitlines()
    points: list[str] = []
    while lines and lines[-1].strip().startswith(POINT_PREFIX.strip()):
        points.insert(0, lines.pop().strip()[len(POINT_PREFIX.strip()) :].strip())
    return "\n".join(lines).strip(), "\n".join(points)


def _split_visions(text: str) -> list[dict[str, str]]:
    """One vision, or several paragraphs "label: text" as the export writes them."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    labelled = [re.match(r"^([^:\n]{1,120}): (.+)$", p, re.DOTALL) for p in paragraphs]
    if len(paragraphs) > 1 and all(labelled):
        return [{"label": m.group(1).strip(), "text": m.group(2).strip()} for m in labelled if m]
    if len(paragraphs) == 1 and labelled[0] and len(labelled[0].group(1)) <= 40:
        return [{"label": labelled[0].group(1).strip(), "text": labelled[0].group(2).strip()}]
    return [{"label": "", "text": text.strip()}]


_STAKEHOLDER_KINDS = {"Organization": Stakeholder.Kind.PARTNER, "Person": Stakeholder.Kind.OTHER}


def stratml_read(data: bytes) -> ReadPlan:
    """The plan of a new strategy from a StratML document (see the module docstring)."""
    root = parse_document(data)
    plan = ReadPlan()
    reader = _Reader(root, plan)
    if _local(root.tag) == "PerformancePlanOrReport":
        reader.attribute(root, "Type")
    _read_plan(reader, root)
    reader.collect_unmapped()
    return plan


def _read_plan(r: _Reader, root: Element) -> None:
    plan = r.plan
    title = r.fit("strategy.title", r.text(root, "Name"), "Name")
    introduction = r.text(root, "Description")
    other = r.text(root, "OtherInformation")
    motto = ""
    if other and len(other) <= LIMITS["strategy.motto"]:
        motto = other
    elif other:
        introduction = f"{introduction}\n\n{other}".strip()
    core = r.child(root, "StrategicPlanCore")
    admin = r.child(root, "AdministrativeInformation")
    start = _year(r.text(admin, "StartDate"))
    end = _year(r.text(admin, "EndDate"))
    published = r.text(admin, "PublicationDate")
    source = r.text(admin, "Source")

    stakeholders: dict[tuple[str, str], dict[str, Any]] = {}

    def stakeholder(element: Element, goal_index: int | None) -> None:
        name = r.fit("stakeholder.name", r.text(element, "Name"), "Stakeholder/Name")
        role = r.text(element, "Description")
        for role_element in r.children(element, "Role"):
            parts = [r.text(role_element, "Name"), r.text(role_element, "Description")]
            r.children(role_element, "RoleType")
            text = ": ".join(part for part in parts if part)
            role = f"{role}\n{text}".strip() if text else role
        if not name:
            return
        key = (name, role)
        entry = stakeholders.get(key)
        if entry is None:
            kind = _STAKEHOLDER_KINDS.get(
                r.attribute(element, "StakeholderTypeType"), Stakeholder.Kind.OTHER
            )
            entry = stakeholders[key] = {"name": name, "role": role, "kind": str(kind), "goals": []}
        else:
            r.attribute(element, "StakeholderTypeType")
        if goal_index is not None and goal_index not in entry["goals"]:
            entry["goals"].append(goal_index)

    for organisation in r.children(core, "Organization"):
        # The strategy is created in the organisation chosen on upload: the
        # file's name for it is shown as not mapped unless it is empty.
        for element in r.children(organisation, "Stakeholder"):
            stakeholder(element, None)

    vision = r.text(r.child(core, "Vision"), "Description")
    if vision:
        plan.visions = [
            {"label": r.fit("vision.label", v["label"], "Vision"), "text": v["text"]}
            for v in _split_visions(vision)
        ]
    purpose = r.text(r.child(core, "Mission"), "Description")
    for index, element in enumerate(r.children(core, "Value"), start=1):
        name = r.text(element, "Name")
        description, points = _split_points(r.text(element, "Description"))
        if not name and not description:
            continue
        if not name:
            name, description = description, ""
        plan.values.append(
            {
                "title": r.fit("principle.title", name, f"Value[{index}]/Name"),
                "description": description,
                "points": points,
            }
        )

    indicators: list[dict[str, Any]] = []
    for goal_number, element in enumerate(r.children(core, "Goal"), start=1):
        _read_goal(r, element, goal_number, stakeholder, indicators)

    years = [
        year
        for indicator in indicators
        for series in ("targets", "actuals")
        for year in indicator[series]
    ]
    this_year = timezone.localdate().year
    if start is None:
        start = min(years, default=this_year)
        plan.warnings.append({"code": "period_assumed", "params": {}})
    if end is None or end < start:
        end = max([start, *years]) if years else start + 3
        if not any(w["code"] == "period_assumed" for w in plan.warnings):
            plan.warnings.append({"code": "period_assumed", "params": {}})
    for indicator in indicators:
        for series in ("targets", "actuals"):
            outside = [year for year in indicator[series] if not start <= year <= end]
            for year in outside:
                del indicator[series][year]
                plan.warnings.append(
                    {
                        "code": "year_outside",
                        "params": {
                            "indicator": indicator["name"],
                            "year": year,
                            "start": start,
                            "end": end,
                        },
                    }
                )
        # JSON keys are strings.
        indicator["targets"] = {
            str(year): value for year, value in sorted(indicator["targets"].items())
        }
        indicator["actuals"] = {
            str(year): value for year, value in sorted(indicator["actuals"].items())
        }
    plan.indicators = indicators
    plan.stakeholders = list(stakeholders.values())
    approved_on = ""
    try:
        approved_on = date.fromisoformat(published[:10]).isoformat() if published else ""
    except ValueError:
        plan.warnings.append({"code": "bad_date", "params": {"value": published[:40]}})
    plan.strategy = {
        "title": title,
        "introduction": introduction,
        "motto": motto,
        "purpose": purpose,
        "period_start": start,
        "period_end": end,
        "approved_on": approved_on,
        "source": r.fit("strategy.source", source, "Source"),
    }


def _read_goal(
    r: _Reader,
    element: Element,
    goal_number: int,
    stakeholder: Any,
    indicators: list[dict[str, Any]],
) -> None:
    plan = r.plan
    identifier = r.text(element, "Identifier")
    name = r.text(element, "Name")
    description = r.text(element, "Description")
    sequence = r.text(element, "SequenceIndicator")
    objectives = r.children(element, "Objective")
    where = f"Goal[{goal_number}]"
    if identifier == NO_GOALS_ID and not objectives:
        return
    if identifier.startswith(CHOICE_PREFIX):
        _read_choice(r, element, identifier, where)
        return
    if identifier.startswith((TARGET_STATE_PREFIX, SPEARHEAD_PREFIX)) and not objectives:
        r.text(element, "SequenceIndicator")  # the order, which the list keeps
        if identifier.startswith(TARGET_STATE_PREFIX):
            plan.target_states.append(
                {"title": r.fit("target_state.title", name, f"{where}/Name"), "body": description}
            )
        else:
            plan.spearheads.append(
                {"name": r.fit("spearhead.name", name, f"{where}/Name"), "description": description}
            )
        return
    is_area = identifier.startswith("focus-area-") and not identifier.endswith(
        OWN_INDICATORS_SUFFIX
    )
    loose = identifier == LOOSE_ACTIONS_ID
    strategy_wide = identifier == STRATEGY_INDICATORS_ID
    if not name and not description and not objectives:
        return
    if not name:
        name, description = description, ""

    if loose or strategy_wide:
        target = None
    elif is_area:
        target = {
            "number": r.fit("focus_area.number", sequence, f"{where}/SequenceIndicator"),
            "title": r.fit("focus_area.title", name, f"{where}/Name"),
            "description": description,
            "actions": [],
        }
        plan.focus_areas.append(target)
    else:
        target = {
            "title": r.fit("goal.title", name, f"{where}/Name"),
            "description": description,
            "objectives": [],
        }
        plan.goals.append(target)
        # SequenceIndicator of a goal: its place in the list, which the order keeps.
    goal_index = len(plan.goals) - 1 if target is not None and not is_area else None
    for element_stakeholder in r.children(element, "Stakeholder"):
        stakeholder(element_stakeholder, goal_index)

    for objective_number, objective in enumerate(objectives, start=1):
        owhere = f"{where}/Objective[{objective_number}]"
        oid = r.text(objective, "Identifier")
        oname = r.text(objective, "Name")
        odescription = r.text(objective, "Description")
        osequence = r.text(objective, "SequenceIndicator")
        for objective_stakeholder in r.children(objective, "Stakeholder"):
            stakeholder(objective_stakeholder, goal_index)
        own = oid.endswith(OWN_INDICATORS_SUFFIX) or oid == STRATEGY_INDICATORS_OBJECTIVE_ID
        attach: dict[str, Any] | None
        if own:
            if strategy_wide or target is None:
                attach = None
            elif is_area:
                attach = {"kind": "focus_area", "index": [len(plan.focus_areas) - 1]}
            else:
                attach = {"kind": "goal", "index": [goal_index]}
        elif not oname and not odescription:
            attach = {"kind": "goal", "index": [goal_index]} if goal_index is not None else None
        else:
            if not oname:
                oname, odescription = odescription, ""
            if loose or strategy_wide:
                plan.actions.append(
                    {
                        "number": r.fit("action.number", osequence, f"{owhere}/SequenceIndicator"),
                        "title": r.fit("action.title", oname, f"{owhere}/Name"),
                        "description": odescription,
                    }
                )
                attach = {"kind": "loose_action", "index": [len(plan.actions) - 1]}
            elif is_area:
                assert target is not None
                target["actions"].append(
                    {
                        "number": r.fit("action.number", osequence, f"{owhere}/SequenceIndicator"),
                        "title": r.fit("action.title", oname, f"{owhere}/Name"),
                        "description": odescription,
                    }
                )
                attach = {
                    "kind": "action",
                    "index": [len(plan.focus_areas) - 1, len(target["actions"]) - 1],
                }
            else:
                assert target is not None
                target["objectives"].append(
                    {
                        "number": r.fit(
                            "objective.number", osequence, f"{owhere}/SequenceIndicator"
                        ),
                        "title": r.fit("objective.title", oname, f"{owhere}/Name"),
                        "description": odescription,
                    }
                )
                attach = {"kind": "objective", "index": [goal_index, len(target["objectives"]) - 1]}
        for indicator_number, indicator in enumerate(
            r.children(objective, "PerformanceIndicator"), start=1
        ):
            read = _read_indicator(
                r, indicator, f"{owhere}/PerformanceIndicator[{indicator_number}]", oname or name
            )
            if read is not None:
                read["attach"] = attach
                indicators.append(read)


def _read_choice(r: _Reader, element: Element, identifier: str, where: str) -> None:
    """A strategic choice written by Suunta (``stratml.exporting._write_choice``)."""
    group = identifier[len(CHOICE_PREFIX) :].rsplit("-", 1)[0]
    choice: dict[str, Any] = {
        "group": group if group in StrategicChoice.Group.values else StrategicChoice.Group.EXTERNAL,
        "theme": r.fit("choice.theme", r.text(element, "Name"), f"{where}/Name"),
        "question": r.text(element, "Description"),
        "summary": r.text(element, "OtherInformation"),
        "invest_in": "",
        "more_than": "",
        "trade_offs": [],
    }
    r.text(element, "SequenceIndicator")  # the order, which the list keeps
    for objective in r.children(element, "Objective"):
        pair = {
            "invest_in": r.text(objective, "Name"),
            "more_than": r.text(objective, "Description"),
        }
        if r.text(objective, "Identifier").endswith(CHOICE_TRADE_OFF_SUFFIX):
            choice.update(pair)
        elif pair["invest_in"] or pair["more_than"]:
            choice["trade_offs"].append(pair)
    r.plan.choices.append(choice)


def _read_indicator(
    r: _Reader, element: Element, where: str, fallback_name: str
) -> dict[str, Any] | None:
    dimension = r.text(element, "MeasurementDimension")
    name = dimension or fallback_name
    unit = r.text(element, "UnitOfMeasurement")
    r.child(element, "Identifier")
    r.child(element, "SequenceIndicator")
    declared = r.attribute(element, "PerformanceIndicatorType")
    description = r.text(element, "OtherInformation")
    results: list[tuple[str, int, Decimal | None, str]] = []
    for instance in r.children(element, "MeasurementInstance"):
        if any(_local(child.tag) == "Place" for child in instance):
            # Values of one place (a unit) are not mapped: the new strategy has
            # only totals. The instance is listed as not mapped, whole.
            r.used.discard(id(instance))
            continue
        for series in ("TargetResult", "ActualResult"):
            for result in r.children(instance, series):
                year = _year(r.text(result, "EndDate")) or _year(r.text(result, "StartDate"))
                number_text = r.text(result, "NumberOfUnits")
                descriptor = r.child(result, "Descriptor")
                level = r.text(descriptor, "DescriptorValue")
                r.child(descriptor, "DescriptorName")
                number = _decimal(number_text) if number_text else None
                if year is None or (number is None and not level):
                    # A result without a year or a value (only words) has no place: listed as not mapped.
                    r.used.discard(id(result))
                    continue
                results.append((series, year, number, level))
    qualitative = declared == "Qualitative" or (
        any(level for _s, _y, number, level in results)
        and not any(number is not None for _s, _y, number, _l in results)
    )
    if not dimension and not results:
        # Nothing to measure by: no dimension, and no result with a year and a
        # value. Listed as not mapped, whole.
        r.used.discard(id(element))
        return None
    levels: list[str] = []
    if qualitative:
        levels = (
            [label.strip() for label in unit.split(LEVEL_SEPARATOR.strip()) if label.strip()]
            if unit
            else []
        )
        for *_rest, level in results:
            if level and level not in levels:
                levels.append(level)
        levels = [
            r.fit("level.label", label, f"{where}/UnitOfMeasurement")
            for label in levels[:MAX_LEVELS]
        ]
        # A scale without levels cannot hold values: such an indicator is a numeric one.
        qualitative = bool(levels)
    indicator: dict[str, Any] = {
        "name": r.fit("indicator.name", name, f"{where}/MeasurementDimension"),
        "description": description,
        "kind": "qualitative" if qualitative else "numeric",
        "unit": "",
        "levels": levels if qualitative else [],
        "targets": {},
        "actuals": {},
    }
    if not qualitative:
        indicator["unit"] = r.fit("indicator.unit", unit, f"{where}/UnitOfMeasurement")
    for series, year, number, level in results:
        key = "targets" if series == "TargetResult" else "actuals"
        if qualitative:
            if level in indicator["levels"]:
                value = str(indicator["levels"].index(level))
            else:
                continue
        else:
            if number is None:
                continue
            value = str(number)
        if year in indicator[key]:
            r.plan.warnings.append(
                {"code": "duplicate_year", "params": {"indicator": indicator["name"], "year": year}}
            )
        indicator[key][year] = value
    return indicator
