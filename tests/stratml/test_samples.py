"""Public StratML plans written by others import into strategies whose
overview and council report show their parts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from indicators.models import Indicator, Measurement
from reports.services import report_snapshot_build
from stratml.reading import stratml_read
from stratml.services import strategy_from_plan

SAMPLES = Path(__file__).resolve().parent / "samples"


def _import(name: str, world) -> tuple:  # type: ignore[no-untyped-def]
    plan = stratml_read((SAMPLES / name).read_bytes())
    strategy = strategy_from_plan(
        plan.stored(), organisation=world.sector, user=world.owner, language="en"
    )
    return plan, strategy


@pytest.mark.django_db
def test_white_house_part1_plan_shows_its_goal_objectives_values_and_stakeholders(
    world, client
) -> None:
    plan, strategy = _import("white-house-oai-2017-part1.xml", world)
    assert (
        strategy.title == "Presidential Memorandum on The White House Office of American Innovation"
    )
    assert (strategy.period_start, strategy.approved_on.isoformat()) == (2017, "2017-04-12")
    assert strategy.status == "draft"
    client.force_login(world.owner)
    page = client.get(reverse("strategy-detail", args=[strategy.slug])).content.decode()
    for text in (
        "Establishment",
        "Initiatives",
        "Information, Ideas &amp; Experiences",
        "Ingenuity",
        "Quality of Life",
        "Office of American Innovation",
        "Private Sector",
        "To implement policies and scale proven",
    ):
        assert text in page, text
    snapshot = json.dumps(
        report_snapshot_build(strategy=strategy, year=2017, to_year=None, unit=None, language="en")
    )
    for text in ("Establishment", "Initiatives", "Ingenuity", "Private Sector"):
        assert text in snapshot, text
    unmapped = {entry["path"] for entry in plan.unmapped}
    # The goal's and objective's further information, the organisation's name and the submitter have no place.
    assert "StrategicPlanCore[1]/Goal[1]/OtherInformation[1]" in unmapped
    assert "StrategicPlanCore[1]/Organization[1]/Name[1]" in unmapped
    assert "AdministrativeInformation[1]/Submitter[1]" in unmapped


@pytest.mark.django_db
def test_smlc_part2_report_shows_its_indicator_and_result(world, client) -> None:
    plan, strategy = _import("smlc-2011-annual-report-part2.xml", world)
    indicator = Indicator.objects.get(strategy=strategy, name="Plans Converted")
    assert indicator.objective.title == "StratML Part 1 Files"
    assert indicator.goal.title == "Strategic Plans"
    assert list(Measurement.objects.filter(indicator=indicator).values_list("year", "value")) == [
        (2011, 829)
    ]
    assert sorted(strategy.stakeholders.values_list("name", flat=True)) == [
        "AIIM",
        "ANSI",
        "Owen Ambur",
    ]
    client.force_login(world.owner)
    page = client.get(reverse("strategy-detail", args=[strategy.slug])).content.decode()
    for text in (
        "Strategic Plans",
        "ANSI/AIIM Publication",
        "Openness",
        "Machine Readability",
        "A worldwide web of intentions",
    ):
        assert text in page, text
    indicators_page = client.get(reverse("indicator-list", args=[strategy.slug])).content.decode()
    assert "Plans Converted" in indicators_page
    snapshot = json.dumps(
        report_snapshot_build(strategy=strategy, year=2011, to_year=None, unit=None, language="en")
    )
    for text in ("Strategic Plans", "StratML Part 1 Files", "Plans Converted", "Openness", "AIIM"):
        assert text in snapshot, text
    unmapped = {entry["path"] for entry in plan.unmapped}
    # An indicator without a dimension whose results are told in words only
    # (no number, no level) cannot be stored: listed whole, not created.
    assert "StrategicPlanCore[1]/Goal[1]/Objective[1]/PerformanceIndicator[1]" in unmapped
    assert Indicator.objects.filter(strategy=strategy).count() == 1
    # Words beside a number are listed too.
    objective2 = "StrategicPlanCore[1]/Goal[1]/Objective[2]/PerformanceIndicator[1]"
    assert f"{objective2}/MeasurementInstance[1]/ActualResult[1]/Description[1]" in unmapped
    assert any(path.endswith("/@ValueChainStage") for path in unmapped)
