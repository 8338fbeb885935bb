"""Each rule of the data model is refused by the database itself."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from indicators.models import Indicator, Measurement, Target
from maturity.models import AssessmentRound, Dimension, Level, MaturityModel, Rating, SelfAssessment
from strategy.models import Strategy

from ..factories import (
    AnnualPlanFactory,
    OrganisationFactory,
    PlanItemFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def refused(callable_) -> bool:
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


def test_strategy_period_end_before_start_is_refused() -> None:
    assert refused(lambda: StrategyFactory(period_start=2027, period_end=2022))
    assert not Strategy.objects.exists()


def test_plan_year_outside_strategy_period_is_refused() -> None:
    strategy = StrategyFactory(period_start=2022, period_end=2027)
    assert refused(lambda: AnnualPlanFactory(strategy=strategy, year=2021))
    assert refused(lambda: AnnualPlanFactory(strategy=strategy, year=2028))
    plan = AnnualPlanFactory(strategy=strategy, year=2027)
    plan.year = 2030
    assert refused(lambda: plan.save())


def test_measurement_year_outside_strategy_period_is_refused() -> None:
    indicator = Indicator.objects.create(strategy=StrategyFactory(period_start=2022, period_end=2027), name="Kävijämäärä")
    assert refused(lambda: Measurement.objects.create(indicator=indicator, year=2031, value=1))
    Measurement.objects.create(indicator=indicator, year=2024, value=1)


def test_one_target_and_measurement_per_indicator_year_and_unit() -> None:
    indicator = Indicator.objects.create(strategy=StrategyFactory(), name="Kävijämäärä")
    unit = OrganisationFactory()
    Measurement.objects.create(indicator=indicator, year=2024, value=1)
    assert refused(lambda: Measurement.objects.create(indicator=indicator, year=2024, value=2))
    Measurement.objects.create(indicator=indicator, year=2024, value=3, unit=unit)
    assert refused(lambda: Measurement.objects.create(indicator=indicator, year=2024, value=4, unit=unit))
    Target.objects.create(indicator=indicator, year=2024, value=1)
    assert refused(lambda: Target.objects.create(indicator=indicator, year=2024, value=2))
    Target.objects.create(indicator=indicator, year=2024, value=1, unit=unit)
    assert refused(lambda: Target.objects.create(indicator=indicator, year=2024, value=2, unit=unit))


def test_progress_outside_0_to_100_is_refused() -> None:
    assert refused(lambda: PlanItemFactory(progress=101))
    item = PlanItemFactory(progress=100)
    item.progress = -1
    with pytest.raises((IntegrityError, Exception)):
        with transaction.atomic():
            item.save()


def _maturity_world():
    strategy = StrategyFactory()
    model = MaturityModel.objects.create(strategy=strategy, name="Kypsyysmalli")
    other = MaturityModel.objects.create(strategy=strategy, name="Toinen malli")
    level = Level.objects.create(model=model, ordinal=1, name="Alkava")
    foreign_level = Level.objects.create(model=other, ordinal=1, name="Alkava")
    dimension = Dimension.objects.create(model=model, number="1", title="Visio 2027")
    round_ = AssessmentRound.objects.create(model=model, year=2024, opens="2024-01-01", closes="2024-02-01")
    unit = OrganisationFactory()
    return model, level, foreign_level, dimension, round_, unit


def test_second_self_assessment_by_same_person_unit_round_is_refused() -> None:
    _, _, _, _, round_, unit = _maturity_world()
    person = UserFactory()
    SelfAssessment.objects.create(round=round_, unit=unit, person=person)
    assert refused(lambda: SelfAssessment.objects.create(round=round_, unit=unit, person=person))


def test_rating_with_level_of_another_model_is_refused() -> None:
    _, level, foreign_level, dimension, round_, unit = _maturity_world()
    assessment = SelfAssessment.objects.create(round=round_, unit=unit, person=UserFactory())
    assert refused(lambda: Rating.objects.create(assessment=assessment, dimension=dimension, level=foreign_level))
    Rating.objects.create(assessment=assessment, dimension=dimension, level=level)
