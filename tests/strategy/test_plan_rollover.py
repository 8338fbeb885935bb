"""Roll-over: last year's unfinished items move into the new draft; finished ones stay."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import AnnualPlan, PlanItem
from tests.factories import PASSWORD, ActionFactory, AnnualPlanFactory, PlanItemFactory


def test_unfinished_items_move_with_status_progress_and_history_link(world) -> None:
    last_year = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025, status="approved")
    statuses = {"not_started": 0, "on_track": 40, "at_risk": 20, "delayed": 10, "done": 100, "cancelled": 5}
    old = {}
    for status, progress in statuses.items():
        old[status] = PlanItemFactory(
            plan=last_year,
            action=ActionFactory(strategy=world.strategy, title=f"Toimenpide {status}"),
            status=status,
            progress=progress,
            budget=1000,
            responsible_person="Aino",
        )
    new_action = ActionFactory(strategy=world.strategy, title="Uusi")
    plan = services.plan_create(
        strategy=world.strategy, unit=world.unit_a, year=2026, actions=[new_action, old["on_track"].action],
        user=world.head, roll_over=True,
    )
    items = {item.action.title: item for item in plan.items.select_related("action", "carried_from")}
    assert set(items) == {"Toimenpide not_started", "Toimenpide on_track", "Toimenpide at_risk", "Toimenpide delayed", "Uusi"}
    for status in ("not_started", "on_track", "at_risk", "delayed"):
        item = items[f"Toimenpide {status}"]
        assert (item.status, item.progress, item.budget, item.responsible_person) == (status, statuses[status], 1000, "Aino")
        assert item.carried_from == old[status]
    assert items["Uusi"].carried_from is None
    # The old plan is untouched, and each copy's history starts with the user.
    assert last_year.items.count() == 6
    assert PlanItem.history.filter(id=items["Toimenpide delayed"].pk).get().history_user == world.head
    # History stays linked both ways.
    client = Client()
    client.login(username="head", password=PASSWORD)
    copy = items["Toimenpide on_track"]
    page = client.get(reverse("plan-item-history", args=[copy.pk])).content.decode()
    assert reverse("plan-item-history", args=[old["on_track"].pk]) in page
    back = client.get(reverse("plan-item-history", args=[old["on_track"].pk])).content.decode()
    assert reverse("plan-item-history", args=[copy.pk]) in back


def test_roll_over_through_the_create_form(world) -> None:
    last_year = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025)
    keep = PlanItemFactory(plan=last_year, action=ActionFactory(strategy=world.strategy), status="delayed", progress=30)
    PlanItemFactory(plan=last_year, action=ActionFactory(strategy=world.strategy), status="done", progress=100)
    client = Client()
    client.login(username="head", password=PASSWORD)
    response = client.post(
        reverse("plan-create", args=[world.strategy.slug]), {"unit": world.unit_a.pk, "year": 2026, "roll_over": "on"}
    )
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(unit=world.unit_a, year=2026)
    assert list(plan.items.values_list("carried_from", "status", "progress")) == [(keep.pk, "delayed", 30)]
