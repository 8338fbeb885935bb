"""The demo takes its date from Suunta's clock, so a fixed clock fixes it."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from maturity.models import AssessmentRound
from strategy import clock

pytestmark = pytest.mark.django_db


def test_load_demo_reads_the_fixed_clock_for_its_open_round() -> None:
    with clock.fixed(datetime.date(2025, 10, 20)):
        call_command("load_demo", force=True, stdout=StringIO())
    assert dict(AssessmentRound.objects.values_list("year", "status")) == {
        2023: AssessmentRound.Status.CLOSED,
        2024: AssessmentRound.Status.CLOSED,
        2025: AssessmentRound.Status.OPEN,
    }


def test_demo_items_nobody_updated_show_the_day_they_were_planned_not_the_load_day() -> None:
    from strategy.models import PlanItem

    day = datetime.date(2026, 11, 29)
    with clock.fixed(day):
        call_command("load_demo", force=True, stdout=StringIO())
        items = list(PlanItem.objects.with_last_update().select_related("plan"))
    assert items
    assert all(item.last_update_on < day for item in items)
    waiting = [item for item in items if item.plan.status == "submitted"]
    assert waiting and all(item.last_update_on == datetime.date(item.plan.year, 1, 15) for item in waiting)
