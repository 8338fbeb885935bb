"""The plans data stamp changes with every change to a plan, an item, a
progress update or a comment, whatever writes it; the pages cached by it
(the plan list, the overview's progress section) show such a change at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from strategy import clock
from strategy.data_stamps import stamped_tables
from strategy.fragments import data_stamp, stamp_parts
from strategy.models import AnnualPlan, Membership, PlanComment, PlanItem, ProgressUpdate, Role
from tests.factories import signed_in

from .plan_fixtures import Plans, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PLAN_MODELS = (AnnualPlan, PlanItem, ProgressUpdate, PlanComment)


def stamp() -> str:
    return stamp_parts([], data_stamp("plans"))[-1]


def test_every_plan_table_has_a_data_stamp_trigger() -> None:
    tables = {model._meta.db_table for model in PLAN_MODELS}
    assert tables - stamped_tables(connection) == set()


def _item_status(plans: Plans) -> None:
    PlanItem.objects.filter(pk=plans.items[0].pk).update(status=PlanItem.Status.DELAYED)


def _plan_closed(plans: Plans) -> None:
    AnnualPlan.objects.filter(pk=plans.museum.pk).update(is_closed=True)


def _progress_update(plans: Plans) -> None:
    ProgressUpdate.objects.create(item=plans.items[1], date=clock.today(), status=PlanItem.Status.ON_TRACK, progress=40)


def _comment(plans: Plans) -> None:
    PlanComment.objects.create(item=plans.items[2], text="Hyvä alku")


def _item_deleted(plans: Plans) -> None:
    PlanItem.objects.filter(pk=plans.items[2].pk).delete()


@pytest.mark.parametrize("change", [_item_status, _plan_closed, _progress_update, _comment, _item_deleted])
def test_any_change_to_the_plan_tables_renews_the_stamp(plans: Plans, change: Callable[[Plans], None]) -> None:
    before = stamp()
    change(plans)
    assert stamp() != before


def _page(client: Client, name: str, world: Any) -> str:
    response = client.get(reverse(name, args=[world.strategy.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _overview(client: Client, world: Any) -> str:
    return _page(client, "strategy-detail", world)


def test_the_overview_progress_shows_an_item_changed_without_signals_at_once(world, plans: Plans) -> None:
    client = signed_in(world.owner)
    assert "badge--delayed" not in _overview(client, world)

    PlanItem.objects.filter(pk=plans.items[0].pk).update(status=PlanItem.Status.DELAYED)

    assert "badge--delayed" in _overview(client, world)


def test_the_overview_progress_counts_only_the_plans_each_reader_sees(world, plans: Plans) -> None:
    # The head of the library sees the library's plan; the museum's head the museum's.
    library, museum = signed_in(world.head), signed_in(world.otherhead)
    assert "3 items" in _overview(library, world)
    assert "1 item" in _overview(museum, world)

    # A new membership widens the museum head's reach: the cached section is not theirs any more.
    Membership.objects.create(user=world.otherhead, organisation=world.unit_a, role=Role.HEAD)
    museum.force_login(world.otherhead)
    assert "4 items" in _overview(museum, world)


def _plan_list(client: Client, world: Any) -> str:
    return _page(client, "plan-list", world)


def test_the_plan_list_shows_a_year_closed_without_signals_at_once(world, plans: Plans) -> None:
    client = signed_in(world.owner)
    assert "Year closed" not in _plan_list(client, world)

    AnnualPlan.objects.filter(strategy=world.strategy).update(is_closed=True)

    assert "Year closed" in _plan_list(client, world)


def test_the_cached_plan_list_offers_each_reader_what_they_may_do(world, plans: Plans) -> None:
    owner, staff = signed_in(world.owner), signed_in(world.staff)
    create = reverse("plan-create", args=[world.strategy.slug])
    close = reverse("plan-year-close", args=[world.strategy.slug, plans.library.year])

    assert create in _plan_list(owner, world) and close in _plan_list(owner, world)
    page = _plan_list(staff, world)
    assert create not in page and close not in page
