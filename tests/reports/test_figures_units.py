"""A unit's figures in the council report: its plans' progress as the pages
roll it up, and in a unit's report its own indicator figures, judged as the
indicator page judges them, never mixed with the totals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from indicators.models import Indicator, Measurement, Target
from indicators.services import indicator_summary, indicators_with_values
from reports.services import report_html_build, report_snapshot_build
from strategy.models import Action, AnnualPlan, FocusArea, PlanItem

pytestmark = pytest.mark.django_db

YEAR = 2024


def _unit_row(html: str, unit: str) -> str:
    """The row of the appendix table of units for ``unit``."""
    appendix = html[html.index('id="appendix-units"') :]
    match = re.search(rf"<tr><th scope=\"row\"[^>]*>{unit}</th>(.*?)</tr>", appendix)
    assert match, unit
    return match.group(1)


@pytest.fixture
def museum_items(report_world):  # type: ignore[no-untyped-def]
    """The museum's plan: at risk 40 %, done at a stored 60 %, and cancelled."""
    strategy = report_world.strategy
    plan = AnnualPlan.objects.get(strategy=strategy, unit=report_world.unit_b, year=YEAR)
    area = FocusArea.objects.get(strategy=strategy, number="3.2")
    for number, status, progress in [("5", PlanItem.Status.DONE, 60), ("6", PlanItem.Status.CANCELLED, 0)]:
        action = Action.objects.create(strategy=strategy, focus_area=area, number=number, title_fi=f"Toimi {number}")
        PlanItem.objects.create(plan=plan, action=action, status=status, progress=progress)
    return report_world


def test_unit_table_shows_the_pages_roll_up_of_each_unit(museum_items) -> None:  # type: ignore[no-untyped-def]
    plan = AnnualPlan.objects.with_status_counts().get(unit=museum_items.unit_b, year=YEAR)
    assert plan.rollup_from_annotations().progress == 70  # (40 + 100) / 2: cancelled left out
    snapshot = report_snapshot_build(strategy=museum_items.strategy, year=YEAR, to_year=None, unit=None, language="fi")
    museum = next(entry for entry in snapshot["unit_summary"] if entry["unit"] == "Museo")
    assert (museum["count"], museum["done"], museum["average_progress"]) == (3, 1, 70)
    row = _unit_row(report_html_build(snapshot=snapshot), "Museo")
    assert "<td class=\"num\">70 %</td>" in row


def test_a_report_frozen_before_the_roll_up_keeps_its_printed_unit_figures(museum_items) -> None:  # type: ignore[no-untyped-def]
    """Stored snapshots of schema 3 had no table of units: it was averaged
    while rendering, and an archived report renders as it was printed."""
    snapshot: dict[str, Any] = report_snapshot_build(
        strategy=museum_items.strategy, year=YEAR, to_year=None, unit=None, language="fi"
    )
    for key in ("unit_summary", "progress"):
        del snapshot[key]
    snapshot["schema"] = 3
    row = _unit_row(report_html_build(snapshot=snapshot), "Museo")
    assert "<td class=\"num\">33 %</td>" in row  # (40 + 60 + 0) / 3, as printed then


def test_unit_report_gives_the_units_own_indicator_figures_and_status(report_world) -> None:  # type: ignore[no-untyped-def]
    """The total has a baseline and values every year; the library keeps its
    own figures for two years. The library's report shows the library's
    series and status as its column on the indicator page, without the
    total's baseline or the total's values in the years the library lacks."""
    world = report_world
    indicator = Indicator.objects.create(
        strategy=world.strategy, name_fi="Asiakastyytyväisyys", baseline_year=2021, baseline_value=Decimal(50), order=3
    )
    for year, value in [(2022, 70), (2023, 72), (2024, 74)]:
        Target.objects.create(indicator=indicator, year=year, value=Decimal(75))
        Measurement.objects.create(indicator=indicator, year=year, value=Decimal(value))
    for year, target, value in [(2023, 80, 60), (2024, 80, 61)]:
        Target.objects.create(indicator=indicator, unit=world.unit_a, year=year, value=Decimal(target))
        Measurement.objects.create(indicator=indicator, unit=world.unit_a, year=year, value=Decimal(value))
    summary = indicator_summary(indicators_with_values(Indicator.objects.filter(pk=indicator.pk)).get(), year=YEAR)
    library = next(series for series in summary.unit_series if series.unit == world.unit_a)

    snapshot = report_snapshot_build(strategy=world.strategy, year=YEAR, to_year=None, unit=world.unit_a, language="fi")
    entry = next(entry for entry in snapshot["indicators"] if entry["name"] == "Asiakastyytyväisyys")
    assert entry["status"] == library.status.value
    assert entry["subject_unit"] == "Kirjasto"
    assert [(p["year"], p["target"], p["value"]) for p in entry["series"]] == [
        (2023, "80", "60"),
        (2024, "80", "61"),
    ]
    assert (entry["latest_year"], entry["latest_value"], entry["latest_target"]) == (2024, "61", "80")
    assert entry["baseline_year"] is None and entry["baseline_value"] is None

    whole = report_snapshot_build(strategy=world.strategy, year=YEAR, to_year=None, unit=None, language="fi")
    total = next(entry for entry in whole["indicators"] if entry["name"] == "Asiakastyytyväisyys")
    assert total["status"] == summary.status.value
    assert (total["latest_value"], total["baseline_value"]) == ("74", "50")
    assert [(unit["unit"], unit["status"]) for unit in total["units"]] == [("Kirjasto", library.status.value)]
