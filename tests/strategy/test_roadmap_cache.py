"""The roadmap's form and results come from the fragment cache until what
they show changes: an action, a unit's name, a plan item's status, or who
is asking when the statuses of their plans are filtered on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from strategy import services, services_people
from strategy.models import AnnualPlan, PlanItem
from tests.factories import ActionFactory, AnnualPlanFactory, FocusAreaFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(world, client: Client, **params: object) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("roadmap", args=[world.strategy.slug]), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _content(body: str) -> str:
    """The page's main region (the header's CSRF token and the scripts' nonce change with each answer)."""
    return body[body.index('<main id="main"') : body.index("</main>")]


def test_an_unchanged_roadmap_is_read_from_the_cache(world) -> None:
    area = FocusAreaFactory(strategy=world.strategy)
    ActionFactory.create_batch(3, strategy=world.strategy, focus_area=area)
    client = _client(world.owner)
    first, first_queries = _get(world, client)
    again, again_queries = _get(world, client)
    assert _content(again) == _content(first)
    assert again_queries <= first_queries - 4  # no layout, count, actions, units or filter lists


def test_an_edited_action_shows_at_once(world) -> None:
    action = ActionFactory(strategy=world.strategy, title="Kirjastoauto")
    action.responsible_units.add(world.unit_a)
    client = _client(world.owner)
    assert "Kirjastoauto" in _get(world, client)[0]
    action.title = "Kirjastobussi"
    action.save()
    body = _get(world, client)[0]
    assert "Kirjastobussi" in body and "Kirjastoauto" not in body
    action.responsible_units.add(world.unit_b)
    assert "Museo" in _get(world, client)[0]


def test_a_renamed_unit_shows_at_once(world) -> None:
    action = ActionFactory(strategy=world.strategy)
    action.responsible_units.add(world.unit_a)
    client = _client(world.owner)
    assert "Kirjasto" in _get(world, client)[0]
    services_people.organisation_update(
        organisation=world.unit_a, values={"name": "Pääkirjasto"}, expected_version=world.unit_a.version, user=world.owner
    )
    assert "Pääkirjasto" in _get(world, client)[0]


def test_each_language_has_its_own_fragment(world) -> None:
    ActionFactory(strategy=world.strategy)
    client = _client(world.owner)
    english = _get(world, client)[0]
    with translation.override("fi"):
        finnish = client.get(reverse("roadmap", args=[world.strategy.slug]), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Perspective" in english or "Year" in english
    assert "Vuosi" in finnish and ">Year<" not in finnish


def _plan_item(world, *, status: str) -> PlanItem:
    action = ActionFactory(strategy=world.strategy, title="Lukudiplomi")
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025, status=AnnualPlan.Status.DRAFT)
    return PlanItemFactory(plan=plan, action=action, status=status)


def test_a_saved_status_changes_what_the_status_filter_finds(world) -> None:
    item = _plan_item(world, status="delayed")
    client = _client(world.owner)
    assert "Lukudiplomi" in _get(world, client, status="delayed", year=2025)[0]
    services.plan_item_update(item=item, user=world.owner, expected_version=item.version, data={"status": "done"})
    assert "Lukudiplomi" not in _get(world, client, status="delayed", year=2025)[0]
    assert "Lukudiplomi" in _get(world, client, status="done", year=2025)[0]


def test_the_status_filter_is_not_shared_with_a_person_who_sees_fewer_plans(world) -> None:
    _plan_item(world, status="delayed")
    assert "Lukudiplomi" in _get(world, _client(world.owner), status="delayed", year=2025)[0]
    # A viewer sees approved plans only: the owner's answer is not theirs.
    assert "Lukudiplomi" not in _get(world, _client(world.viewer), status="delayed", year=2025)[0]


def test_a_status_written_without_history_changes_what_the_filter_finds(world) -> None:
    # A queryset update (a repair, a data migration) writes no history row; the filter still follows it.
    item = _plan_item(world, status="delayed")
    viewer = _client(world.viewer)
    assert "Lukudiplomi" not in _get(world, viewer, status="delayed", year=2025)[0]
    AnnualPlan.objects.filter(pk=item.plan_id).update(status=AnnualPlan.Status.APPROVED)
    assert "Lukudiplomi" in _get(world, viewer, status="delayed", year=2025)[0]
    PlanItem.objects.filter(pk=item.pk).update(status="done")
    assert "Lukudiplomi" not in _get(world, viewer, status="delayed", year=2025)[0]
