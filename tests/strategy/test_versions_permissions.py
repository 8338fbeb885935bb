"""Only owners of the strategy (or above it) approve, archive, restore and
read its versions: everyone else gets 404 for every URL, GET and POST, plain
and htmx, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import Goal, Strategy, StrategyVersion
from tests.factories import every_part

from .test_editor_permissions import other_owner, snapshot  # noqa: F401
from .test_versions_approve import approve, edit_goal, owner_client

pytestmark = pytest.mark.django_db

METHODS = ["get", "post"]


def version_requests(strategy: Strategy) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data that would succeed for the owner) for every new URL."""
    slug = strategy.slug
    decision = {
        "approved_on": "2023-01-01",
        "decision_body_fi": "Lautakunta",
        "decision_reference": "§ 1",
        "version": str(strategy.version),
        "content": "x",
    }
    return [
        ("get", reverse("version-list", args=[slug]), {}),
        ("get", reverse("version-changes", args=[slug, 1]), {}),
        ("get", reverse("version-changes", args=[slug, 1]) + "?previous=1", {}),
        ("get", reverse("strategy-approve", args=[slug]), {}),
        ("post", reverse("strategy-approve", args=[slug]), decision),
        ("get", reverse("strategy-archive", args=[slug]), {}),
        ("post", reverse("strategy-archive", args=[slug]), {"version": str(strategy.version)}),
        ("get", reverse("strategy-restore", args=[slug]), {}),
        ("post", reverse("strategy-restore", args=[slug]), {"version": str(strategy.version)}),
    ]


@pytest.fixture
def approved_with_changes(world) -> Strategy:
    every_part(world.strategy)
    client = owner_client(world)
    approve(client, world.strategy)
    edit_goal(client, world.strategy, Goal.objects.get(), "Muutos")
    return Strategy.objects.get(pk=world.strategy.pk)


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("username", ["head", "staff", "otherhead", "viewer", "otherowner"])
def test_non_owners_get_404_for_every_version_url_and_nothing_changes(
    world, other_owner, approved_with_changes, username: str, htmx: bool  # noqa: F811
) -> None:
    client = Client()
    client.force_login(other_owner if username == "otherowner" else getattr(world, username))
    headers = {"HX-Request": "true"} if htmx else {}
    before = snapshot()
    for _method, url, data in version_requests(approved_with_changes):
        for verb in METHODS:
            response = getattr(client, verb)(url, data if verb == "post" else None, headers=headers)
            # The lists answer GET only; the forms GET and POST.
            expected = 404 if verb == "get" or "/versions/" not in url else 405
            assert response.status_code == expected, (username, verb, url, response.status_code)
    assert snapshot() == before


def test_anonymous_users_are_sent_to_sign_in(world, approved_with_changes) -> None:
    before = snapshot()
    for method, url, data in version_requests(approved_with_changes):
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True])
def test_owner_reads_every_version_page(world, approved_with_changes, htmx: bool) -> None:
    client = owner_client(world)
    headers = {"HX-Request": "true"} if htmx else {}
    for method, url, _data in version_requests(approved_with_changes):
        if method == "get":
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert ("<html" in response.content.decode()) is not htmx, url
    changes = client.get(reverse("version-changes", args=[approved_with_changes.slug, 1])).content.decode()
    assert "Tavoite 0 en" in changes and "Muutos" in changes
    listing = client.get(reverse("version-list", args=[approved_with_changes.slug])).content.decode()
    assert "14.6.2022 § 57" in listing and "has changes since the approved version 1" in listing
    assert client.get(reverse("version-changes", args=[approved_with_changes.slug, 2])).status_code == 404
    assert StrategyVersion.objects.count() == 1
