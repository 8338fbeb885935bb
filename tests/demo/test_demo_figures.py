"""The demo's generated figures, plans and maturity rounds as of one day
(23 November 2026), loaded once for the module; each test reads them in a
savepoint of its own."""

from __future__ import annotations

import datetime

import pytest

from demo import pietarsaari as p
from indicators.models import Measurement
from maturity.models import AgreedLevel, AssessmentRound, SelfAssessment
from strategy.models import AnnualPlan, PlanItem
from tests.demo_fixtures import demo_once_per_module

DAY = datetime.date(2026, 11, 23)

demo = demo_once_per_module(today=DAY)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_figures_are_labelled_as_demo_and_cover_the_library_and_museum() -> None:
    measurements = Measurement.objects.filter(indicator__strategy__slug=p.SLUG)
    assert measurements.exists()
    assert not measurements.exclude(source_note__icontains="esimerkkiluku").exists()
    visits = measurements.filter(indicator__name_fi="Kävijämäärä")
    assert set(visits.filter(unit__isnull=False).values_list("unit__slug", flat=True)) == {
        p.LIBRARY,
        p.MUSEUM,
    }
    assert set(visits.filter(unit__isnull=True).values_list("year", flat=True)) == {
        2022,
        2023,
        2024,
        2025,
    }

    for unit in (p.LIBRARY, p.MUSEUM):
        plans = AnnualPlan.objects.filter(strategy__slug=p.SLUG, unit__slug=unit)
        assert set(plans.values_list("year", flat=True)) == {2022, 2023, 2024, 2025, 2026}
        closed = PlanItem.objects.filter(plan__in=plans.filter(is_closed=True))
        assert closed.exists()
        assert not closed.filter(year_end_assessment="").exists()
        assert PlanItem.objects.filter(plan__in=plans, updates__isnull=False).exists()
    assert not AnnualPlan.objects.filter(year=2026, is_closed=True).exists()


def test_library_agreed_levels_change_between_2023_and_2024() -> None:
    def agreed(year: int) -> dict[str, int]:
        return dict(
            AgreedLevel.objects.filter(round__year=year, unit__slug=p.LIBRARY).values_list(
                "dimension__number", "level__ordinal"
            )
        )

    assert len(agreed(2023)) == len(agreed(2024)) == 5
    assert agreed(2023) != agreed(2024)
    for year in (2023, 2024):
        respondents = SelfAssessment.objects.filter(
            round__year=year, unit__slug=p.LIBRARY, status=SelfAssessment.Status.SUBMITTED
        )
        assert respondents.count() >= 3


def test_this_year_has_an_open_round_that_accepts_answers() -> None:
    rounds = dict(AssessmentRound.objects.values_list("year", "status"))
    assert rounds == {
        2023: AssessmentRound.Status.CLOSED,
        2024: AssessmentRound.Status.CLOSED,
        2025: AssessmentRound.Status.CLOSED,
        2026: AssessmentRound.Status.OPEN,
    }
    open_round = AssessmentRound.objects.get(year=2026)
    assert open_round.accepts_answers(DAY)
    # The persona "staff" is left to answer during a walkthrough.
    assert not SelfAssessment.objects.filter(round=open_round, person__username="staff").exists()
    assert SelfAssessment.objects.filter(round=open_round, unit__slug=p.LIBRARY).count() >= 3
