"""My units and its banner read the strategy's current year from the clock,
kept inside the strategy's period: on 2 January 2028 a 2022–2027 strategy's
current plans are those of 2027."""

from __future__ import annotations

import datetime

from django.urls import reverse

from strategy import clock

from .plan_fixtures import make_plan


def test_after_the_period_my_units_and_the_banner_show_the_last_year(world, client) -> None:
    last, earlier = make_plan(world, world.unit_a, year=2027), make_plan(world, world.unit_a, year=2026)
    client.force_login(world.head)
    with clock.fixed(datetime.date(2028, 1, 2)):
        response = client.get(reverse("my-units"))
        home = client.get(reverse("home")).content.decode()
    assert [plan.pk for plan in response.context["plans"]] == [last.pk]
    assert response.context["year"] == 2027 and "Plans for 2027" in response.content.decode()
    assert response.context["missing"] == []  # the period is over: no plan is still to create
    assert reverse("plan-detail", args=[last.pk]) in home
    assert reverse("plan-detail", args=[earlier.pk]) not in home


def test_inside_the_period_the_clocks_year_is_current(world, client) -> None:
    plan = make_plan(world, world.unit_a, year=2027)
    make_plan(world, world.unit_a, year=2026)
    client.force_login(world.head)
    with clock.fixed(datetime.date(2027, 6, 15)):
        response = client.get(reverse("my-units"))
        home = client.get(reverse("home")).content.decode()
    assert [p.pk for p in response.context["plans"]] == [plan.pk]
    assert reverse("plan-detail", args=[plan.pk]) in home
    assert [(unit.pk, strategy.pk) for unit, strategy in response.context["missing"]] == []


def test_a_unit_without_a_plan_this_year_is_told_to_make_one(world, client) -> None:
    client.force_login(world.head)
    with clock.fixed(datetime.date(2027, 6, 15)):
        response = client.get(reverse("my-units"))
    assert [(unit.pk, strategy.pk) for unit, strategy in response.context["missing"]] == [
        (world.unit_a.pk, world.strategy.pk)
    ]
    assert response.context["year"] == 2027


def test_an_overdue_deadline_is_judged_by_the_clock(world) -> None:
    plan = make_plan(world, world.unit_a, year=2026, deadline=datetime.date(2026, 3, 1))
    with clock.fixed(datetime.date(2026, 2, 28)):
        assert not plan.is_overdue
    with clock.fixed(datetime.date(2026, 3, 2)):
        assert plan.is_overdue
