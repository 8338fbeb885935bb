"""No lost updates: optimistic locking on plan items."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import PlanItem, ProgressUpdate
from tests.factories import PASSWORD

from .plan_fixtures import Plans, plans_fixture  # noqa: F401


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def edit_data(version: int, status: str, progress: int) -> dict[str, str]:
    return {"quick": "1", "version": str(version), "status": status, "progress": str(progress)}


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_save_is_refused_and_names_who_saved_first(world, plans: Plans, htmx: bool) -> None:
    item = plans.items[0]
    url = reverse("plan-item-edit", args=[item.pk])
    head, owner = logged_in("head"), logged_in("owner")
    # Both open the item at version 1.
    for client in (head, owner):
        page = client.get(url)
        assert 'name="version" value="1"' in page.content.decode()
    assert head.post(url, edit_data(1, "on_track", 40)).status_code == 302
    headers = {"HX-Request": "true"} if htmx else {}
    stale = owner.post(url, {**edit_data(1, "delayed", 5), "quick": "1" if htmx else ""}, headers=headers)
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "head" in body  # who saved first
    assert "On track" in body and "Delayed" in body  # their value and yours
    assert "40" in body and "5" in body
    item.refresh_from_db()
    assert (item.status, item.progress, item.version, item.updated_by) == ("on_track", 40, 2, world.head)
    assert PlanItem.history.filter(id=item.pk).count() == 2  # created + the head's save
    assert ProgressUpdate.objects.filter(item=item).count() == 1
    # The refused form now carries the new version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in body


def test_service_raises_a_typed_conflict_and_writes_nothing(world, plans: Plans) -> None:
    item = plans.items[0]
    services.plan_item_update(item=item, user=world.head, expected_version=1, data={"status": "at_risk", "progress": 10})
    with pytest.raises(services.ItemConflictError) as caught:
        services.plan_item_update(item=item, user=world.owner, expected_version=1, data={"status": "done", "progress": 100})
    conflict = caught.value
    assert conflict.changed_by == world.head
    labels = [label for label, _theirs, _mine in conflict.differences()]
    assert {"status", "progress (%)"} <= {str(label).lower() for label in labels}
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == ("at_risk", 10, 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_cannot_both_win(world, plans: Plans) -> None:
    """Two threads, two database connections, the same expected version."""
    item = plans.items[0]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: object, status: str) -> None:
        try:
            barrier.wait()
            services.plan_item_update(item=item, user=user, expected_version=1, data={"status": status, "progress": 30})
            outcomes.append(status)
        except services.ItemConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(world.head, "on_track")),
        threading.Thread(target=save, args=(world.owner, "delayed")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) in (["conflict", "on_track"], ["conflict", "delayed"])
    winner = next(o for o in outcomes if o != "conflict")
    item.refresh_from_db()
    assert item.status == winner and item.version == 2
    assert PlanItem.history.filter(id=item.pk).count() == 2
