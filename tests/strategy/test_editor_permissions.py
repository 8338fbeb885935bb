"""Only owners of the strategy's organisation (or above it) edit it: everyone
else gets 404 for every editor URL, GET and POST, plain and htmx, and no
strategy table changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from strategy.editor import KINDS
from strategy.models import Organisation, Role, Strategy
from tests.factories import MembershipFactory, OrganisationFactory, StrategyFactory, UserFactory

from .test_editor_parts import SPECS

pytestmark = pytest.mark.django_db


def snapshot() -> list[list[dict[str, Any]]]:
    """Every row of every table of the strategy and indicators apps, history included."""
    models = [*apps.get_app_config("strategy").get_models(), *apps.get_app_config("indicators").get_models()]
    return [list(model._default_manager.order_by("pk").values()) for model in models]


def editor_requests(strategy: Strategy) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data that would succeed for the owner) for every editor URL and kind."""
    slug = strategy.slug
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("get", reverse("editor", args=[slug]), {}),
        ("get", reverse("editor", args=[slug]) + "?region=goal", {}),
        ("get", reverse("strategy-history", args=[slug]), {}),
        ("get", reverse("strategy-settings", args=[slug]), {}),
        (
            "post",
            reverse("strategy-settings", args=[slug]),
            {"title_fi": "Uusi nimi", "period_start": "2022", "period_end": "2027", "main_language": "fi", "version": "1"},
        ),
    ]
    for key, spec in SPECS.items():
        obj = spec.make(strategy)
        parent = spec.parent(obj) if spec.parent else None
        data = dict(spec.data, version="1")
        if parent is not None:
            data["parent"] = str(parent.pk)
        create = reverse("part-create", args=[slug, key])
        query = f"?parent={parent.pk}" if parent is not None else ""
        edit = reverse("part-edit", args=[slug, key, obj.pk])
        move = reverse("part-move", args=[slug, key, obj.pk])
        delete = reverse("part-delete", args=[slug, key, obj.pk])
        requests += [
            ("get", create + query, {}),
            ("post", create, data),
            ("get", edit, {}),
            ("post", edit, data),
            ("post", move, {"direction": "up", "version": "1"}),
            ("post", move, {"direction": "down", "version": "1"}),
            ("get", delete, {}),
            ("post", delete, {"version": "1"}),
        ]
    return requests


@pytest.fixture
def other_owner(world) -> Any:
    """The owner of another city's sector: an owner, but not of this strategy."""
    city = OrganisationFactory(kind=Organisation.Kind.CITY)
    sector = OrganisationFactory(kind=Organisation.Kind.SECTOR, parent=city)
    StrategyFactory(organisation=sector)
    user = UserFactory(username="otherowner")
    MembershipFactory(user=user, organisation=sector, role=Role.OWNER)
    return user


@pytest.mark.parametrize("username", ["head", "staff", "otherhead", "viewer", "otherowner"])
def test_non_owners_get_404_for_every_editor_url_and_nothing_changes(world, other_owner, username: str) -> None:
    requests = editor_requests(world.strategy)
    client = Client()
    client.force_login(UserFactory(username=username))
    before = snapshot()
    for htmx in (False, True):
        headers = {"HX-Request": "true"} if htmx else {}
        for method, url, data in requests:
            response = getattr(client, method)(url, data if method == "post" else None, headers=headers)
            assert response.status_code == 404, (username, method, url, htmx, response.status_code)
    assert snapshot() == before


def test_non_owners_cannot_open_the_new_strategy_page(world) -> None:
    for username in ("head", "staff", "otherhead", "viewer"):
        client = Client()
        client.force_login(UserFactory(username=username))
        before = snapshot()
        assert client.get(reverse("strategy-create")).status_code == 404
        data = {"start": "blank", "organisation": world.unit_a.pk, "main_language": "fi", "title": "Oma",
                "period_start": "2025", "period_end": "2028"}
        assert client.post(reverse("strategy-create"), data).status_code == 404
        assert snapshot() == before


def test_owner_of_another_organisation_cannot_create_a_strategy_here(world, other_owner) -> None:
    client = Client()
    client.force_login(other_owner)
    page = client.get(reverse("strategy-create")).content.decode()
    assert "Kulttuuri ja vapaa-aika" not in page
    before = snapshot()
    data = {"start": "copy", "organisation": world.sector.pk, "main_language": "fi", "title": "Kaappaus",
            "period_start": "2028", "period_end": "2033", "source": world.strategy.pk}
    response = client.post(reverse("strategy-create"), data)
    assert response.status_code == 422
    assert snapshot() == before


def test_anonymous_is_sent_to_login_for_every_editor_url(world) -> None:
    requests = editor_requests(world.strategy)
    before = snapshot()
    for method, url, data in requests:
        response = getattr(Client(), method)(url, data if method == "post" else None)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert snapshot() == before


def test_owner_above_the_organisation_edits_too(world) -> None:
    city_owner = UserFactory(username="cityowner")
    MembershipFactory(user=city_owner, organisation=world.city, role=Role.OWNER)
    client = Client()
    client.force_login(city_owner)
    assert client.get(reverse("editor", args=[world.strategy.slug])).status_code == 200
    assert set(KINDS) == set(SPECS)
