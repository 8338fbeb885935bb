"""My units is kept in the fragment cache by the person's reach, the day and
the stamps of what it shows; whatever changes what it shows, however it is
written, shows at once, and no one reads another reach's page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import clock
from strategy.models import Action, AnnualPlan, Membership, Organisation, PlanItem, Role, Strategy
from tests.factories import signed_in

from .plan_fixtures import Plans, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def my_units(client: Client) -> str:
    response = client.get(reverse("my-units"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def head(world) -> Client:
    client = signed_in(world.head)
    my_units(client)  # a session's first request settles its second factor and activity
    return client


def main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_a_second_visit_reads_the_page_from_the_cache(head, plans: Plans) -> None:
    first = main(my_units(head))
    with CaptureQueriesContext(connection) as queries:
        assert main(my_units(head)) == first
    # The session, the user, the person's memberships and the stamps.
    assert len(queries) == 4


def test_writes_without_signals_show_at_once(head, world, plans: Plans) -> None:
    assert "Plans returned to you for changes" not in my_units(head)
    AnnualPlan.objects.filter(pk=plans.library.pk).update(status=AnnualPlan.Status.RETURNED, return_comment="Korjaa")
    assert "Korjaa" in my_units(head)

    Action.objects.filter(pk=plans.items[0].action_id).update(title_fi="Uusi nimi", title="Uusi nimi")
    PlanItem.objects.filter(pk=plans.items[0].pk).update(created_at=clock.now() - datetime.timedelta(days=400))
    assert "Uusi nimi" in my_units(head)

    Strategy.objects.filter(pk=world.strategy.pk).update(title_fi="Uusi strategia", title="Uusi strategia")
    assert "Uusi strategia" in my_units(head)

    Organisation.objects.filter(pk=world.unit_a.pk).update(name_fi="Pääkirjasto", name="Pääkirjasto")
    assert "Pääkirjasto" in my_units(head)


def test_each_reach_has_its_own_page(head, world, plans: Plans) -> None:
    museum = signed_in(world.otherhead)
    assert "Kirjasto" in my_units(head) and "Kirjasto" not in my_units(museum)

    Membership.objects.create(user=world.otherhead, organisation=world.unit_a, role=Role.HEAD)
    museum.force_login(world.otherhead)
    assert "Kirjasto" in my_units(museum)


def test_a_new_day_is_a_new_page(head, world, plans: Plans) -> None:
    deadline = clock.today() + datetime.timedelta(days=1)
    AnnualPlan.objects.filter(pk=plans.library.pk).update(deadline=deadline)
    assert "(overdue)" not in my_units(head)
    with clock.fixed(deadline + datetime.timedelta(days=1)):
        assert "(overdue)" in my_units(head)
