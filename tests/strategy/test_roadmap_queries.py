"""The roadmap's queries do not grow with the number of actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import AnnualPlan
from strategy.views.roadmap import PAGE_SIZE
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def _grow(world, actions: int) -> None:
    areas = [FocusAreaFactory(strategy=world.strategy) for _ in range(3)]
    goal = GoalFactory(strategy=world.strategy)
    plan = AnnualPlan.objects.filter(unit=world.unit_a, year=2025).first() or AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, year=2025
    )
    for n in range(actions):
        action = ActionFactory(strategy=world.strategy, focus_area=areas[n % 3], goal=goal, horizon="short")
        action.responsible_units.add(world.unit_a if n % 2 else world.unit_b)
        PlanItemFactory(plan=plan, action=action, status="delayed")


def _rows(response) -> int:
    return sum(len(h.rows) for group in response.context["results"].groups for h in group.horizons)


@pytest.mark.parametrize("params", [{}, {"status": "delayed", "year": 2025}])
def test_roadmap_queries_and_rows_stay_bounded_at_two_sizes(world, django_assert_max_num_queries, params) -> None:
    client = Client()
    client.force_login(world.owner)
    url = reverse("roadmap", args=[world.strategy.slug])
    _grow(world, 4)
    with CaptureQueriesContext(connection) as small:
        assert _rows(client.get(url, params)) == 4
    assert len(small) <= 18  # signed-in request and session (8) + the roadmap (10)
    _grow(world, PAGE_SIZE + 50)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url, params)
    assert _rows(response) == PAGE_SIZE
