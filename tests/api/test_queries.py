"""Every list of the API reads in a fixed number of queries, whatever the data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Measurement, ScaleLevel, Target
from reports.models import Report
from strategy.models import AnnualPlan, Strategy
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    PlanItemFactory,
    StrategyFactory,
    every_part,
)
from tests.maturity.conftest import build_matrix, open_round

from .conftest import token_client

pytestmark = pytest.mark.django_db

# The most queries each list may take, at any size.
LISTS = {
    "/api/v1/organisations/": 6,
    "/api/v1/strategies/": 5,
    "/api/v1/plans/": 7,
    "/api/v1/indicators/": 9,
    "/api/v1/maturity-models/": 8,
    "/api/v1/reports/": 7,
}


def grow(world, n: int) -> None:
    """``n`` more strategies of the sector, each with plans, items, an
    indicator, a maturity model with a round and a report."""
    for k in range(n):
        strategy = StrategyFactory(
            organisation=world.sector, slug=f"lisa-{k}-{Strategy.objects.count()}"
        )
        for unit in (world.unit_a, world.unit_b):
            plan = AnnualPlanFactory(
                strategy=strategy, unit=unit, year=2025, status=AnnualPlan.Status.APPROVED
            )
            for _ in range(3):
                PlanItemFactory(plan=plan, action=ActionFactory(strategy=strategy))
        indicator = Indicator.objects.create(
            strategy=strategy, name_fi=f"Mittari {k}", kind="qualitative"
        )
        for ordinal in range(3):
            ScaleLevel.objects.create(
                indicator=indicator, ordinal=ordinal, label_fi=f"Taso {ordinal}"
            )
        for year in (2023, 2024, 2025):
            Target.objects.create(indicator=indicator, year=year, value=Decimal(2))
            Measurement.objects.create(
                indicator=indicator, year=year, unit=world.unit_a, value=Decimal(1)
            )
        matrix = build_matrix(strategy, name=f"Malli {k}")
        open_round(matrix, [world.unit_a], year=2025)
        Report.objects.create(strategy=strategy, year=2025, language="fi", unit=world.unit_a)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["owner", "head", "viewer"])
def test_lists_take_the_same_queries_at_two_sizes(
    api_world, persona, django_assert_max_num_queries
):
    world = api_world.world
    client = token_client(getattr(world, persona))
    client.get("/api/v1/organisations/")  # the token's first use writes last_used_at once
    grow(world, 1)
    small = {}
    for url, most in LISTS.items():
        with django_assert_max_num_queries(most):
            small[url] = count(client, url)
    grow(world, 4)
    for url, most in LISTS.items():
        with django_assert_max_num_queries(most):
            assert count(client, url) == small[url], url
    assert client.get("/api/v1/plans/").json()["count"] > 5


def test_strategy_detail_takes_the_same_queries_with_more_parts(
    api_world, django_assert_max_num_queries
):
    client = token_client(api_world.world.head)
    url = "/api/v1/strategies/kulttuuristrategia/"
    client.get(url)
    with django_assert_max_num_queries(21):
        small = count(client, url)
    every_part(api_world.world.strategy, copies=3, tag="x")
    with django_assert_max_num_queries(21):
        assert count(client, url) == small


def test_plan_detail_takes_the_same_queries_with_more_items(
    api_world, django_assert_max_num_queries
):
    client = token_client(api_world.world.head)
    url = f"/api/v1/plans/{api_world.plan_a.pk}/"
    client.get(url)
    with django_assert_max_num_queries(7):
        small = count(client, url)
    for _ in range(5):
        PlanItemFactory(
            plan=api_world.plan_a, action=ActionFactory(strategy=api_world.world.strategy)
        )
    with django_assert_max_num_queries(7):
        assert count(client, url) == small
