"""The plan list's rows come from the row cache until what a row shows
changes: its unit's name, the plan's status, closing, deadline and overdue
state, its items' counts and progress, the language. The key is built from
the values just read, so writes that send no signal show too."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy import clock
from strategy.models import AnnualPlan, Organisation, PlanItem

from .plan_fixtures import Plans, count_row_renders, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows_rendered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pks of the plans whose row the plan list renders (not read from the cache)."""
    return count_row_renders(monkeypatch, "plan")


def open_list(client: Client, world: Any, language: str = "fi") -> str:
    response = client.get(reverse("plan-list", args=[world.strategy.slug]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def owner(client: Client, world: Any) -> Client:
    client.force_login(world.owner)
    return client


def test_rows_are_rendered_once_and_read_back(owner, world, plans: Plans, rows_rendered) -> None:
    first = open_list(owner, world)
    assert sorted(rows_rendered) == sorted([plans.library.pk, plans.museum.pk])
    rows_rendered.clear()
    again = open_list(owner, world)
    assert rows_rendered == []
    row = first[first.index("<tbody>") : first.index("</tbody>")]
    assert row in again


def test_a_status_changed_without_signals_renders_that_row_again(owner, world, plans: Plans, rows_rendered) -> None:
    open_list(owner, world)
    rows_rendered.clear()
    PlanItem.objects.filter(pk=plans.items[0].pk).update(status=PlanItem.Status.DELAYED)
    page = open_list(owner, world)
    assert rows_rendered == [plans.library.pk]
    assert "badge--delayed" in page


def test_the_plan_status_the_unit_name_and_the_language_show_at_once(owner, world, plans: Plans) -> None:
    open_list(owner, world)
    AnnualPlan.objects.filter(pk=plans.museum.pk).update(status=AnnualPlan.Status.SUBMITTED)
    Organisation.objects.filter(pk=world.unit_a.pk).update(name_fi="Pääkirjasto")
    page = open_list(owner, world)
    assert "Pääkirjasto" in page
    with translation.override("fi"):
        assert f'badge--submitted">{AnnualPlan.Status.SUBMITTED.label}<' in page
    swedish = open_list(owner, world, "sv")
    with translation.override("sv"):
        assert f'badge--submitted">{AnnualPlan.Status.SUBMITTED.label}<' in swedish


def test_a_deadline_passing_marks_the_row_overdue(owner, world, plans: Plans) -> None:
    deadline = clock.today() + datetime.timedelta(days=3)
    AnnualPlan.objects.filter(pk=plans.library.pk).update(deadline=deadline)
    assert "overdue" not in open_list(owner, world, "en")
    with clock.fixed(deadline + datetime.timedelta(days=1)):
        assert "(overdue)" in open_list(owner, world, "en")
