"""Owners archive an approved strategy and restore it; while it is archived
the editor refuses every change and no plan can be made for it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from strategy.models import AnnualPlan, Strategy

from .test_editor_permissions import editor_requests, snapshot
from .test_versions_approve import HTMX, approve, owner_client

pytestmark = pytest.mark.django_db


def lifecycle_post(client, strategy: Strategy, name: str, **headers: str):  # type: ignore[no-untyped-def]
    url = reverse(name, args=[strategy.slug])
    form = client.get(url).context["form"]
    return client.post(url, {"version": str(form.initial["version"])}, headers=headers)


def test_owner_archives_and_restores_an_approved_strategy(world, caplog) -> None:
    client = owner_client(world)
    approve(client, world.strategy)
    overview = reverse("strategy-detail", args=[world.strategy.slug])

    with caplog.at_level("INFO", logger="suunta.security"):
        response = lifecycle_post(client, world.strategy, "strategy-archive")
    assert response.status_code == 302 and response["Location"] == overview
    strategy = Strategy.objects.get(pk=world.strategy.pk)
    assert strategy.status == Strategy.Status.ARCHIVED
    assert "This strategy is archived" in client.get(overview).content.decode()

    with caplog.at_level("INFO", logger="suunta.security"):
        response = lifecycle_post(client, world.strategy, "strategy-restore", **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == overview
    assert Strategy.objects.get(pk=world.strategy.pk).status == Strategy.Status.APPROVED

    statuses = [record.status for record in Strategy.history.filter(id=world.strategy.pk).order_by("history_date", "history_id")]
    assert statuses[-3:] == ["approved", "archived", "approved"]
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]
    assert [(e["event"], e["version"]) for e in events if e["event"].startswith("strategy.")] == [
        ("strategy.approved", 1),
        ("strategy.archived", 1),
        ("strategy.restored", 1),
    ]


def test_only_an_approved_strategy_is_archived_and_only_an_archived_one_restored(world) -> None:
    client = owner_client(world)
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    before = snapshot()
    assert lifecycle_post(client, world.strategy, "strategy-archive").status_code == 409
    assert lifecycle_post(client, world.strategy, "strategy-restore").status_code == 409
    assert snapshot() == before


def test_a_stale_archive_form_is_refused(world) -> None:
    client = owner_client(world)
    url = reverse("strategy-archive", args=[world.strategy.slug])
    Strategy.objects.filter(pk=world.strategy.pk).update(version=5)
    before = snapshot()
    response = client.post(url, {"version": "1"})
    assert response.status_code == 409 and "Someone changed the strategy" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True])
def test_the_editor_refuses_every_change_while_archived_and_nothing_changes(world, htmx: bool) -> None:
    client = owner_client(world)
    requests = editor_requests(world.strategy)
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.ARCHIVED)
    before = snapshot()
    headers = HTMX if htmx else {}
    for method, url, data in requests:
        if method != "post":
            continue
        response = client.post(url, data, headers=headers)
        assert response.status_code == 409, (url, response.status_code)
        assert "an archived strategy cannot be changed" in response.content.decode(), url
        if htmx:
            assert response["HX-Retarget"] == "#main"
    assert snapshot() == before
    # Reading the edit mode still works.
    assert client.get(reverse("editor", args=[world.strategy.slug])).status_code == 200


def test_no_plan_is_made_for_an_archived_strategy(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.ARCHIVED)
    url = reverse("plan-create", args=[world.strategy.slug])
    client = owner_client(world)
    assert client.get(url).status_code == 403
    response = client.post(url, {"unit": world.unit_a.pk, "year": 2026})
    assert response.status_code == 403
    assert not AnnualPlan.objects.exists()


def test_an_archived_strategy_is_not_approved(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.ARCHIVED)
    response = owner_client(world).get(reverse("strategy-approve", args=[world.strategy.slug]))
    assert response.status_code == 409
