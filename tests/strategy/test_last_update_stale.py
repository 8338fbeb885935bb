"""An item's "last update" is its latest progress update, not the row's
modification time: a row saved today (a data load, a roll-over) whose last
progress update is 46 days old is shown as such and counted stale."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from strategy import clock, services
from strategy.models import PlanItem

from .plan_fixtures import Plans, last_updated, plans_fixture  # noqa: F401


def short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def test_item_touched_today_but_updated_46_days_ago_is_stale_everywhere(world, plans: Plans, client) -> None:
    item = plans.items[0]
    day = last_updated(item, 46)
    touched = timezone.now()
    PlanItem.objects.get(pk=item.pk).save()  # the row is touched now
    assert PlanItem.objects.get(pk=item.pk).updated_at >= touched

    assert list(PlanItem.objects.stale().values_list("pk", flat=True)) == [item.pk]
    assert PlanItem.objects.with_last_update().get(pk=item.pk).last_update_on == day

    client.force_login(world.head)
    page = client.get(reverse("plan-detail", args=[plans.library.pk])).content.decode()
    row = page[page.index(f'id="item-{item.pk}"') :]
    assert short(day) in row[: row.index("</tr>")]
    my_units = client.get(reverse("my-units"))
    assert [stale.pk for stale in my_units.context["stale_items"]] == [item.pk]
    assert "Every item is up to date." not in my_units.content.decode()

    workbook = load_workbook(BytesIO(client.get(reverse("plan-export-xlsx", args=[plans.library.pk])).content))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert datetime.datetime.combine(day, datetime.time()) in values

    assert services.reminders_send() == 1
    assert short(day) in mail.outbox[0].body


def test_a_progress_update_today_makes_the_item_fresh(world, plans: Plans) -> None:
    item = plans.items[0]
    last_updated(item, 46)
    services.plan_item_update(item=item, user=world.head, expected_version=1, data={"status": "on_track", "progress": 10})
    assert not PlanItem.objects.stale().filter(pk=item.pk).exists()
    assert PlanItem.objects.with_last_update().get(pk=item.pk).last_update_on == clock.today()


def test_an_item_nobody_updated_is_stale_once_it_is_older_than_the_limit(world, plans: Plans, settings) -> None:
    settings.SUUNTA_STALE_ITEM_DAYS = 30
    old, new = plans.items[0], plans.items[1]
    PlanItem.objects.filter(pk=old.pk).update(created_at=clock.now() - datetime.timedelta(days=31))
    PlanItem.objects.filter(pk=new.pk).update(created_at=clock.now() - datetime.timedelta(days=29))
    assert not old.updates.exists()
    assert set(PlanItem.objects.stale().filter(plan=plans.library).values_list("pk", flat=True)) == {old.pk}


def test_the_clock_decides_what_is_stale(world, plans: Plans) -> None:
    item = plans.items[0]
    services.plan_item_update(item=item, user=world.head, expected_version=1, data={"status": "on_track", "progress": 10})
    assert not PlanItem.objects.stale().filter(pk=item.pk).exists()
    with clock.fixed(clock.today() + datetime.timedelta(days=31)):
        assert PlanItem.objects.stale().filter(pk=item.pk).exists()
