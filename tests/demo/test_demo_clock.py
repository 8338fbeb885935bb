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
