"""The report document: content, structure, metadata and determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel
from reports.services import report_render, report_snapshot_build
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Objective,
    Perspective,
    PlanItem,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    Vision,
)

from .conftest import LEVELS, VISION_FI, pdf_facts, pdf_text

pytestmark = pytest.mark.django_db


def test_snapshot_is_plain_json_with_everything_the_report_shows(report_world) -> None:
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi")
    assert snapshot["visions"] == [{"label": "", "text": VISION_FI}]
    assert [area["title"] for area in snapshot["focus_areas"]] == ["Osallisuus ja yhteisöllisyys", "Hyvinvointi ja terveys"]
    first = snapshot["focus_areas"][0]
    assert first["budget_total"] == "12500"
    assert first["actions"][0]["items"][0]["assessment"] == "Lukupiirejä pidettiin kaksitoista."
    assert snapshot["budget_total"] == "20500"
    indicator = snapshot["indicators"][0]
    assert indicator["latest_year"] == 2024
    assert indicator["on_track"] is True
    assert indicator["status"] == "achieved"
    assert (indicator["latest_value"], indicator["latest_target"]) == ("1250", "1200")
    heatmap = snapshot["maturity"][0]
    assert [level["name"] for level in heatmap["levels"]] == [fi for fi, _sv in LEVELS]
    library = next(row for row in heatmap["rows"] if row["unit"] == "Kirjasto")
    first_cell = library["cells"][0]
    assert (first_cell["level"], first_cell["label"], first_cell["previous"], first_cell["change"]) == (2, "Kehittyvä", 1, 1)
    assert first_cell["direction"] == "up"
    assert snapshot["choices"][0]["trade_offs"] == [
        {"invest_in": "lapsiin ja nuoriin", "more_than": "satunnaisiin kävijöihin"},
        {"invest_in": "digitaalisiin palveluihin", "more_than": "painotuotteisiin"},
    ]


def test_unit_report_covers_only_the_units_subtree(report_world) -> None:
    snapshot = report_snapshot_build(
        strategy=report_world.strategy, year=2024, to_year=None, unit=report_world.unit_a, language="fi"
    )
    units = {item["unit"] for area in snapshot["focus_areas"] for action in area["actions"] for item in action["items"]}
    assert units == {"Kirjasto"}
    assert snapshot["budget_total"] == "12500"
    assert [row["unit"] for row in snapshot["maturity"][0]["rows"]][:-1] == ["Kirjasto"]  # and the sector row


def test_snapshot_queries_do_not_grow_with_data(report_world, django_assert_max_num_queries) -> None:
    strategy = report_world.strategy
    # 20 for the plans, indicators and maturity; 13 for visions, values,
    # sections, perspectives, goals, objectives, spearheads and stakeholders
    # with their links (one query each); 1 for the scales of qualitative
    # indicators; 4 for the pages' progress roll-ups (the whole, per focus
    # area, per goal and per unit) and 1 for the indicators' SDGs, which
    # the indicator pages' loader prefetches.
    with django_assert_max_num_queries(39) as small:
        report_snapshot_build(strategy=strategy, year=2024, to_year=None, unit=None, language="fi")
    area = FocusArea.objects.create(strategy=strategy, number="3.9", title_fi="Lisää", order=9)
    plan = AnnualPlan.objects.get(unit=report_world.unit_a, year=2024)
    perspective = Perspective.objects.create(strategy=strategy, name_fi="Asukkaat")
    spearhead = SpearheadProgramme.objects.create(strategy=strategy, name_fi="Kärki")
    stakeholder = Stakeholder.objects.create(strategy=strategy, name_fi="Yhdistykset")
    for n in range(10):
        Vision.objects.create(strategy=strategy, text_fi=f"Visio {n}", order=n)
        Principle.objects.create(strategy=strategy, title_fi=f"Arvo {n}", points_fi="yksi\nkaksi")
        Section.objects.create(strategy=strategy, number=str(n + 1), title_fi=f"Luku {n}")
        goal = Goal.objects.create(strategy=strategy, perspective=perspective if n % 2 else None, title_fi=f"Tavoite {n}")
        Objective.objects.create(goal=goal, title_fi=f"Alatavoite {n}")
        goal_action = Action.objects.create(strategy=strategy, goal=goal, title_fi=f"Tavoitteen toimenpide {n}")
        spearhead.goals.add(goal)
        spearhead.actions.add(goal_action)
        stakeholder.goals.add(goal)
        stakeholder.actions.add(goal_action)
    for n in range(5):
        indicator = Indicator.objects.create(strategy=strategy, kind=IndicatorKind.QUALITATIVE, name_fi=f"Taso {n}")
        for ordinal in range(3):
            ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=f"Taso {ordinal}")
        Measurement.objects.create(indicator=indicator, year=2024, value=1)
    for n in range(30):
        action = Action.objects.create(strategy=strategy, focus_area=area, title_fi=f"Toimenpide {n}")
        PlanItem.objects.create(plan=plan, action=action, progress=n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        snapshot = report_snapshot_build(strategy=strategy, year=2024, to_year=None, unit=None, language="fi")
    assert snapshot["item_count"] == 32
    assert len(snapshot["goal_actions"]) == 10 and len(snapshot["spearheads"][0]["actions"]) == 10


def test_pdf_has_content_bookmarks_metadata_tags_and_embedded_fonts(report_world, tmp_path: Path) -> None:
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi")
    content = report_render(snapshot=snapshot)
    text = pdf_text(content, tmp_path)
    assert VISION_FI in text
    assert "3.1 Osallisuus ja yhteisöllisyys" in text
    assert "Lukupiirejä pidettiin kaksitoista." in text
    for fi, _sv in LEVELS:
        assert fi in text
    assert "Kävijämäärä" in text
    facts = pdf_facts(content)
    assert facts["title"].startswith("Kulttuuristrategia")
    assert facts["author"] == "Kulttuuri ja vapaa-aika"
    assert facts["lang"] == "fi"
    assert facts["tagged"]
    assert facts["fonts_embedded"]
    assert "3.1 Osallisuus ja yhteisöllisyys" in facts["bookmarks"]
    assert f"2 / {facts['pages']}" in text
