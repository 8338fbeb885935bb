"""Every change writes exactly one history row with the user and the time."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strategy import services
from strategy.models import PlanItem, ProgressUpdate
from tests.factories import PASSWORD

from .plan_fixtures import Plans, plans_fixture  # noqa: F401


def test_a_save_through_the_page_writes_one_history_row_with_user_and_time(world, plans: Plans) -> None:
    item = plans.items[0]
    client = Client()
    client.login(username="head", password=PASSWORD)
    before = PlanItem.history.filter(id=item.pk).count()
    started = timezone.now()
    response = client.post(
        reverse("plan-item-edit", args=[item.pk]),
        {"quick": "1", "version": "1", "status": "at_risk", "progress": "35"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    records = PlanItem.history.filter(id=item.pk).order_by("-history_date")
    assert records.count() == before + 1
    latest = records.first()
    assert latest.history_user == world.head
    assert started - datetime.timedelta(seconds=1) <= latest.history_date <= timezone.now()
    assert (latest.status, latest.progress, latest.version) == ("at_risk", 35, 2)
    # The same save records a progress update.
    update = ProgressUpdate.objects.get(item=item)
    assert (update.author, update.status, update.progress) == (world.head, "at_risk", 35)


def test_each_service_save_writes_exactly_one_row(world, plans: Plans) -> None:
    item = plans.items[1]
    for version, status in enumerate(["on_track", "at_risk", "delayed"], start=1):
        before = PlanItem.history.filter(id=item.pk).count()
        services.plan_item_update(item=item, user=world.owner, expected_version=version, data={"status": status, "progress": 10})
        assert PlanItem.history.filter(id=item.pk).count() == before + 1
        assert PlanItem.history.filter(id=item.pk).latest("history_date").history_user == world.owner


def test_history_page_shows_who_when_and_old_to_new(world, plans: Plans) -> None:
    item = plans.items[0]
    services.plan_item_update(
        item=item, user=world.head, expected_version=1, data={"status": "delayed", "progress": 15, "schedule": "Q3"}
    )
    client = Client()
    client.login(username="staff", password=PASSWORD)
    body = client.get(reverse("plan-item-history", args=[item.pk])).content.decode()
    assert "head" in body
    assert "Not started" in body and "Delayed" in body
    assert "Q3" in body
    rows = client.get(reverse("plan-item-history", args=[item.pk])).context["rows"]
    changes = {str(label): (old, new) for label, old, new in rows[0]["changes"]}
    assert changes["status"] == ("Not started", "Delayed")
    assert changes["progress (%)"] == (0, 15)
    assert changes["schedule"] == ("", "Q3")


def test_plan_decisions_are_in_the_plans_history(world, plans: Plans) -> None:
    plan = plans.library
    services.plan_submit(plan=plan, user=world.head)
    services.plan_return(plan=plan, user=world.owner, comment="Tarkenna aikataulu")
    records = list(plan.history.order_by("history_date"))
    assert [r.status for r in records] == ["draft", "submitted", "returned"]
    assert [r.history_user for r in records[1:]] == [world.head, world.owner]
