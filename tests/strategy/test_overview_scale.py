"""The strategy overview at city scale: its queries do not grow with the
data, a focus area shows its first actions and leads to the roadmap for the
rest, and the progress section reads one query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import clock
from strategy.models import AnnualPlan
from strategy.views.overview import ACTIONS_SHOWN
from tests.factories import ActionFactory, AnnualPlanFactory, FocusAreaFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def _grow(world, per_area: int) -> None:
    areas = [FocusAreaFactory(strategy=world.strategy, title=f"Alue {n}") for n in range(2)]
    year = clock.current_year(world.strategy)
    plan = AnnualPlan.objects.filter(unit=world.unit_a, year=year).first() or AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, year=year, status=AnnualPlan.Status.APPROVED
    )
    for area in areas:
        for n in range(per_area):
            action = ActionFactory(strategy=world.strategy, focus_area=area, budget=Decimal(10), order=n)
            action.responsible_units.add(world.unit_a)
            PlanItemFactory(plan=plan, action=action, status="done" if n % 2 else "delayed")


@pytest.mark.parametrize("user", ["owner", "viewer"])
def test_overview_queries_are_the_same_at_two_sizes(world, django_assert_max_num_queries, user) -> None:
    client = Client()
    client.force_login(getattr(world, user))
    url = reverse("strategy-detail", args=[world.strategy.slug])
    _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    assert len(small) <= 31  # 33 before: the strategy was read twice and the progress in three queries
    _grow(world, ACTIONS_SHOWN + 10)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200


def test_a_long_focus_area_shows_its_first_actions_and_links_to_the_roadmap(world) -> None:
    area = FocusAreaFactory(strategy=world.strategy, title="Pitkä alue")
    for n in range(ACTIONS_SHOWN + 5):
        ActionFactory(strategy=world.strategy, focus_area=area, title=f"Toimi {n:03}", order=n, budget=Decimal(100))
    client = Client()
    client.force_login(world.owner)
    response = client.get(reverse("strategy-detail", args=[world.strategy.slug]))
    body = response.content.decode()
    assert f"Toimi {ACTIONS_SHOWN - 1:03}" in body
    assert f"Toimi {ACTIONS_SHOWN:03}" not in body
    roadmap = reverse("roadmap", args=[world.strategy.slug])
    assert f'href="{roadmap}?focus_area={area.pk}"' in body
    assert f"All {ACTIONS_SHOWN + 5} actions of the focus area in the roadmap" in body
    # The total still counts every action, shown or not.
    assert response.context["budget_total"] == Decimal(100 * (ACTIONS_SHOWN + 5))


def test_progress_section_reads_one_query_and_adds_up(world) -> None:
    _grow(world, 3)
    client = Client()
    client.force_login(world.owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("strategy-detail", args=[world.strategy.slug]))
    assert sum("strategy_planitem" in q["sql"] for q in queries.captured_queries) == 1
    rollup = response.context["rollup"]
    assert rollup.total == 6 and rollup.counts == {"done": 2, "delayed": 4}
    assert [(label, row.total) for label, row in response.context["rollup_rows"]] == [
        (label, 3) for label, _ in response.context["rollup_rows"]
    ]
    assert len(response.context["rollup_rows"]) == 2
