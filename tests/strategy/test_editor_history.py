"""The history tab lists every change to the strategy and its parts, newest
first, who and when and field old → new, 50 a page, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import GoalFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def owner_client(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def rename_goal(client: Client, world, goal, title: str) -> None:
    goal.refresh_from_db()
    url = reverse("part-edit", args=[world.strategy.slug, "goal", goal.pk])
    response = client.post(url, {"title_fi": title, "version": str(goal.version)})
    assert response.status_code == 302


def test_history_lists_changes_newest_first_with_old_and_new(world) -> None:
    world.owner.first_name, world.owner.last_name = "Olli", "Omistaja"
    world.owner.save()
    client = owner_client(world)
    goal = GoalFactory(strategy=world.strategy, title_fi="Lukutaito")
    objective = ObjectiveFactory(goal=goal, title="Lapset lukevat")
    rename_goal(client, world, goal, "Lukutaito vahvistuu")
    delete = reverse("part-delete", args=[world.strategy.slug, "objective", objective.pk])
    assert client.post(delete, {"version": "1"}).status_code == 302

    page = client.get(reverse("strategy-history", args=[world.strategy.slug])).content.decode()

    removed = page.index("Lapset lukevat")
    renamed = page.index("Lukutaito → Lukutaito vahvistuu")
    assert removed < renamed  # newest first
    assert "Olli Omistaja" in page
    assert "Removed" in page and "Added" in page
    assert "Title [fi]:</strong> Lukutaito → Lukutaito vahvistuu" in page


def test_history_is_paginated_and_its_query_count_does_not_grow(world) -> None:
    client = owner_client(world)
    url = reverse("strategy-history", args=[world.strategy.slug])
    goal = GoalFactory(strategy=world.strategy, title_fi="Alku")
    for n in range(5):
        rename_goal(client, world, goal, f"Nimi {n}")
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5, 70):
        rename_goal(client, world, goal, f"Nimi {n}")
    ObjectiveFactory(goal=goal)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    body = response.content.decode()
    assert "Nimi 68 → Nimi 69" in body and "Nimi 3 → Nimi 4" not in body
    assert "page 1 of 2" in body
    assert len(many) == len(few)
    assert len(many) <= 16
    older = client.get(url + "?page=2").content.decode()
    assert "Nimi 3 → Nimi 4" in older


def test_only_owners_read_the_history(world) -> None:
    url = reverse("strategy-history", args=[world.strategy.slug])
    for username in ("head", "staff", "otherhead", "viewer"):
        client = Client()
        client.force_login(UserFactory(username=username))
        assert client.get(url).status_code == 404
    assert owner_client(world).get(url).status_code == 200
