"""Roll-up of items' statuses: per plan, per focus area, per unit and for the whole strategy."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from strategy.models import AnnualPlan, PlanItem, Rollup
from tests.factories import PASSWORD

from .plan_fixtures import Plans, last_updated, plans_fixture  # noqa: F401


def test_rollup_counts_progress_and_light() -> None:
    rollup = Rollup.from_counts({"done": 1, "on_track": 2, "cancelled": 1}, progress_sum=50)
    assert (rollup.total, rollup.active, rollup.progress, rollup.light) == (4, 3, 50, "green")
    assert rollup.light_label == "On track"
    assert Rollup.from_counts({"delayed": 2, "on_track": 2}, progress_sum=0).light == "red"
    assert Rollup.from_counts({"at_risk": 1, "on_track": 3}, progress_sum=0).light == "amber"
    assert Rollup.from_counts({}, progress_sum=0).light == "grey"


def test_queryset_rollup_matches_the_items(world, plans: Plans) -> None:
    a, b, _c = plans.items
    PlanItem.objects.filter(pk=a.pk).update(status="done", progress=100)
    PlanItem.objects.filter(pk=b.pk).update(status="delayed", progress=20)
    rollup = plans.library.items.rollup()
    assert rollup.counts == {"done": 1, "delayed": 1, "not_started": 1}
    assert rollup.progress == 40  # (100 + 20 + 0) / 3
    by_area = plans.library.items.rollup_by("action__focus_area")
    assert by_area[plans.areas[0].pk].total == 2 and by_area[plans.areas[1].pk].total == 1


def test_overview_and_unit_table_show_the_rollup_with_text(world, plans: Plans) -> None:
    PlanItem.objects.filter(pk__in=[i.pk for i in plans.items]).update(status="delayed")
    client = Client()
    client.login(username="owner", password=PASSWORD)
    overview = client.get(reverse("strategy-detail", args=[world.strategy.slug])).content.decode()
    assert "light--red" in overview and "Off track" in overview
    assert "Alue 0" in overview  # per focus area
    table = client.get(reverse("plan-list", args=[world.strategy.slug])).content.decode()
    assert "Kirjasto" in table and "Museo" in table and "Off track" in table


def test_viewer_rollup_counts_only_approved_plans(world, plans: Plans) -> None:
    AnnualPlan.objects.filter(pk=plans.museum.pk).update(status="approved")
    client = Client()
    client.login(username="viewer", password=PASSWORD)
    response = client.get(reverse("plan-list", args=[world.strategy.slug]))
    assert response.context["rollup"].total == 1


def test_my_units_lists_plans_and_stale_items(world, plans: Plans) -> None:
    stale = plans.items[0]
    last_updated(stale, 400)
    client = Client()
    client.login(username="head", password=PASSWORD)
    response = client.get(reverse("my-units"))
    assert [p.pk for p in response.context["plans"]] == [plans.library.pk]
    assert [i.pk for i in response.context["stale_items"]] == [stale.pk]
    home = client.get(reverse("home")).content.decode()
    assert reverse("my-units") in home and reverse("plan-detail", args=[plans.library.pk]) in home
    other = Client()
    other.login(username="otherhead", password=PASSWORD)
    assert [p.pk for p in other.get(reverse("my-units")).context["plans"]] == [plans.museum.pk]


def test_owner_sees_plans_waiting_for_approval_and_staff_gets_no_banner(world, plans: Plans) -> None:
    AnnualPlan.objects.filter(pk=plans.museum.pk).update(status="submitted")
    owner = Client()
    owner.login(username="owner", password=PASSWORD)
    assert reverse("my-units") in owner.get(reverse("home")).content.decode()
    assert [p.pk for p in owner.get(reverse("my-units")).context["waiting"]] == [plans.museum.pk]
    staff = Client()
    staff.login(username="staff", password=PASSWORD)
    assert reverse("my-units") not in staff.get(reverse("home")).content.decode()
