"""Fixtures for the annual-plan tests: the library's and the museum's plan of this year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from strategy import clock
from strategy.models import AnnualPlan, FocusArea, PlanItem, ProgressUpdate
from strategy.views.plans import current_year
from tests.conftest import World
from tests.factories import ActionFactory, AnnualPlanFactory, FocusAreaFactory, PlanItemFactory


def count_row_renders(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """The pks of the objects (``context[name]``) whose row a view of
    ``strategy.views.plans`` renders from its template partial, that is, does
    not read from the row cache."""
    from strategy.views import plans as plan_views

    rendered: list[int] = []
    original = plan_views.get_template

    class Counting:
        def __init__(self, template: Any) -> None:
            self.template = template

        def render(self, context: dict[str, Any], *args: Any) -> str:
            rendered.append(context[name].pk)
            return self.template.render(context, *args)

    monkeypatch.setattr(plan_views, "get_template", lambda template: Counting(original(template)))
    return rendered


@dataclass
class Plans:
    library: AnnualPlan
    museum: AnnualPlan
    items: list[PlanItem]
    areas: list[FocusArea]


def last_updated(item: PlanItem, days_ago: int, **fields: object) -> datetime.date:
    """Make ``item``'s last progress update ``days_ago`` days before the clock's
    today (it was added to the plan earlier still); the row itself stays fresh."""
    day = clock.today() - datetime.timedelta(days=days_ago)
    PlanItem.objects.filter(pk=item.pk).update(created_at=clock.now() - datetime.timedelta(days=days_ago + 10))
    ProgressUpdate.objects.create(item=item, date=day, status=item.status, progress=item.progress, **fields)
    return day


def make_plan(world: World, unit: object, *, year: int | None = None, n: int = 3, **kwargs: object) -> AnnualPlan:
    plan = AnnualPlanFactory(strategy=world.strategy, unit=unit, year=year or current_year(world.strategy), **kwargs)
    for _ in range(n):
        PlanItemFactory(plan=plan, action=ActionFactory(strategy=world.strategy, focus_area=None))
    return plan


@pytest.fixture(name="plans")
def plans_fixture(world: World) -> Plans:
    areas = [FocusAreaFactory(strategy=world.strategy, title=f"Alue {i}") for i in range(2)]
    year = current_year(world.strategy)
    library = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=year)
    items = [
        PlanItemFactory(
            plan=library,
            action=ActionFactory(strategy=world.strategy, focus_area=areas[i % 2], title=f"Kirjaston toimenpide {i}"),
            order=i,
        )
        for i in range(3)
    ]
    museum = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_b, year=year)
    PlanItemFactory(plan=museum, action=ActionFactory(strategy=world.strategy, focus_area=areas[0]))
    return Plans(library=library, museum=museum, items=items, areas=areas)
