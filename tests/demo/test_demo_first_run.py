"""``load_demo`` into an empty database: the first run creates, a second one
changes nothing; it refuses production; the date it runs on decides which
maturity round is open."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from demo import pietarsaari as p
from demo.loader import demo_load
from maturity.models import AssessmentRound
from strategy.models import Action, AnnualPlan, Strategy

from .conftest import row_counts, run

pytestmark = pytest.mark.django_db


def test_second_run_changes_nothing() -> None:
    first = run()
    counts = row_counts()
    pks = sorted(Action.objects.values_list("pk", flat=True))

    second = run()

    assert row_counts() == counts
    assert sorted(Action.objects.values_list("pk", flat=True)) == pks
    assert "rows created" in first
    assert "0 rows created, 0 updated" in second


def test_refuses_to_run_when_debug_is_off(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is False"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="owner").exists()
    assert not Strategy.objects.exists()


def test_in_2025_the_2025_round_is_the_open_one() -> None:
    demo_load(today=datetime.date(2025, 10, 20))
    assert dict(AssessmentRound.objects.values_list("year", "status")) == {
        2023: AssessmentRound.Status.CLOSED,
        2024: AssessmentRound.Status.CLOSED,
        2025: AssessmentRound.Status.OPEN,
    }
    assert set(AnnualPlan.objects.filter(unit__slug=p.LIBRARY).values_list("year", flat=True)) == {
        2022,
        2023,
        2024,
        2025,
    }
