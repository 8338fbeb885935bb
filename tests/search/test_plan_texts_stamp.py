"""The ``plan-texts`` data stamp keys the search's plan-item results: it is
renewed by what a search of plan items reads (an item's texts, its plan and
action, a plan's strategy, unit, year and status, items and plans added or
removed), whatever writes it, and not by a status or progress saved on an
item, which a search does not read. The search page shows every such change
at once."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from strategy.data_stamps import stamped_tables
from strategy.fragments import data_stamp, stamp_parts
from strategy.models import AnnualPlan, PlanItem
from tests.factories import ActionFactory, PlanItemFactory, signed_in
from tests.strategy.plan_fixtures import Plans, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PART = import_module("strategy.migrations.0018_plan_texts_data_stamp").PART


def stamp() -> str:
    return stamp_parts([], data_stamp("plan-texts"))[-1]


def test_both_plan_tables_have_the_stamps_own_triggers() -> None:
    # Besides the ``plans`` group's, which every plan table has.
    assert stamped_tables(connection, PART) == {"strategy_planitem", "strategy_annualplan"}


def _description(plans: Plans) -> None:
    PlanItem.objects.filter(pk=plans.items[0].pk).update(description="Lukupiiri alakouluille")


def _assessment(plans: Plans) -> None:
    item = plans.items[1]
    item.year_end_assessment = "Toteutui"
    item.save()


def _action(plans: Plans) -> None:
    PlanItem.objects.filter(pk=plans.items[0].pk).update(action=ActionFactory(strategy=plans.library.strategy))


def _item_added(plans: Plans) -> None:
    PlanItemFactory(plan=plans.museum, action=ActionFactory(strategy=plans.museum.strategy))


def _item_deleted(plans: Plans) -> None:
    PlanItem.objects.filter(pk=plans.items[2].pk).delete()


def _plan_approved(plans: Plans) -> None:
    AnnualPlan.objects.filter(pk=plans.library.pk).update(status=AnnualPlan.Status.APPROVED)


def _plan_year(plans: Plans) -> None:
    start = plans.museum.strategy.period_start  # another year of the period, whatever the date
    AnnualPlan.objects.filter(pk=plans.museum.pk).update(year=start if plans.museum.year != start else start + 1)


@pytest.mark.parametrize(
    "change", [_description, _assessment, _action, _item_added, _item_deleted, _plan_approved, _plan_year]
)
def test_what_a_search_reads_renews_the_stamp(plans: Plans, change: Callable[[Plans], None]) -> None:
    before = stamp()
    change(plans)
    assert stamp() != before


def test_a_saved_status_or_progress_keeps_the_stamp(plans: Plans) -> None:
    before = stamp()
    item = plans.items[0]
    item.status, item.progress = PlanItem.Status.DELAYED, 35
    item.save()  # every column written, the texts unchanged
    PlanItem.objects.filter(pk=plans.items[1].pk).update(progress=80)
    AnnualPlan.objects.filter(pk=plans.library.pk).update(is_closed=True)
    assert stamp() == before


def _found(client: Client, query: str, item: PlanItem) -> bool:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return f'#item-{item.pk}"' in response.content.decode()


def test_the_search_finds_an_items_new_text_at_once(world, plans: Plans) -> None:
    client, item = signed_in(world.owner), plans.items[0]
    assert not _found(client, "lukupiiri", item)

    PlanItem.objects.filter(pk=item.pk).update(description="Lukupiiri alakouluille")
    assert _found(client, "lukupiiri", item)

    PlanItem.objects.filter(pk=item.pk).update(description="Satutunti")
    assert not _found(client, "lukupiiri", item)


def test_a_viewer_finds_an_item_once_its_plan_is_approved(world, plans: Plans) -> None:
    item = plans.items[0]
    PlanItem.objects.filter(pk=item.pk).update(description="Lukupiiri alakouluille")
    viewer = signed_in(world.viewer)
    assert not _found(viewer, "lukupiiri", item)

    AnnualPlan.objects.filter(pk=plans.library.pk).update(status=AnnualPlan.Status.APPROVED)
    assert _found(viewer, "lukupiiri", item)
