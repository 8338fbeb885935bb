"""The roadmap at city scale: one page of actions at a time, narrowed by
perspective, goal, focus area, unit, year and status; htmx swaps the results."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import AnnualPlan, PlanItem
from strategy.views.roadmap import PAGE_SIZE
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    PerspectiveFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [row.action.title for group in response.context["results"].groups for h in group.horizons for row in h.rows]


def _get(world, user: str = "owner", **params: object):
    client = Client()
    client.force_login(getattr(world, user))
    return client.get(reverse("roadmap", args=[world.strategy.slug]), params)


def test_a_long_roadmap_shows_one_page_and_the_rest_is_reachable(world) -> None:
    area = FocusAreaFactory(strategy=world.strategy)
    for n in range(PAGE_SIZE + 5):
        ActionFactory(strategy=world.strategy, focus_area=area, title=f"Toimi {n:03}", order=n)
    first = _get(world)
    assert len(_titles(first)) == PAGE_SIZE
    assert first.context["results"].count == PAGE_SIZE + 5
    assert "?page=2" in first.content.decode()
    second = _get(world, page=2)
    assert _titles(second) == [f"Toimi {n:03}" for n in range(PAGE_SIZE, PAGE_SIZE + 5)]


def test_filters_by_perspective_goal_focus_area_unit_and_year(world) -> None:
    perspective = PerspectiveFactory(strategy=world.strategy)
    goal = GoalFactory(strategy=world.strategy, perspective=perspective)
    other_goal = GoalFactory(strategy=world.strategy)
    area, other_area = FocusAreaFactory(strategy=world.strategy), FocusAreaFactory(strategy=world.strategy)
    library = ActionFactory(strategy=world.strategy, focus_area=area, goal=goal, title="Kirjasto", start_year=2023, end_year=2024)
    library.responsible_units.add(world.unit_a)
    museum = ActionFactory(strategy=world.strategy, focus_area=other_area, goal=other_goal, title="Museo", start_year=2026, end_year=None)
    museum.responsible_units.add(world.unit_b)
    assert _titles(_get(world, perspective=perspective.pk)) == ["Kirjasto"]
    assert _titles(_get(world, goal=other_goal.pk)) == ["Museo"]
    assert _titles(_get(world, focus_area=other_area.pk)) == ["Museo"]
    assert _titles(_get(world, unit=world.unit_a.pk)) == ["Kirjasto"]
    assert _titles(_get(world, year=2024)) == ["Kirjasto"]
    assert _titles(_get(world, year=2026)) == ["Museo"]
    assert _titles(_get(world, year=2025)) == []
    assert "No action matches the chosen filters." in _get(world, year=2025).content.decode()
    # Nonsense is ignored rather than an error.
    assert sorted(_titles(_get(world, year="abc", unit="x", status="nope"))) == ["Kirjasto", "Museo"]


def test_status_filter_reads_the_plans_of_the_chosen_year(world) -> None:
    late = ActionFactory(strategy=world.strategy, title="Myöhässä")
    fine = ActionFactory(strategy=world.strategy, title="Aikataulussa")
    plan_2024 = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2024, status=AnnualPlan.Status.APPROVED)
    plan_2025 = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025, status=AnnualPlan.Status.APPROVED)
    PlanItemFactory(plan=plan_2024, action=late, status=PlanItem.Status.DELAYED)
    PlanItemFactory(plan=plan_2024, action=fine, status=PlanItem.Status.ON_TRACK)
    PlanItemFactory(plan=plan_2025, action=fine, status=PlanItem.Status.DELAYED)
    assert _titles(_get(world, status="delayed", year=2024)) == ["Myöhässä"]
    assert _titles(_get(world, status="delayed", year=2025)) == ["Aikataulussa"]


def test_htmx_gets_the_results_only_and_the_answer_varies_on_it(world) -> None:
    ActionFactory(strategy=world.strategy, title="Kirjastoauto")
    client = Client()
    client.force_login(world.owner)
    url = reverse("roadmap", args=[world.strategy.slug])
    fragment = client.get(url, {"year": 2023}, headers={"HX-Request": "true", "HX-Target": "roadmap-results"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="roadmap-results">')
    assert "Kirjastoauto" in body and "<form" not in body
    assert "HX-Request" in fragment["Vary"]
    restored = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<form" in restored.content.decode()
    page = client.get(url)
    assert 'hx-push-url="true"' in page.content.decode() and "HX-Request" in page["Vary"]
