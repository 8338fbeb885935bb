"""Only owners of a node (or a node above it) manage it and its people: unit
heads, staff, viewers and owners of another organisation get 404 for every
organisation and people URL, GET and POST, plain and htmx, and nothing
changes: no organisation, role, account, history row or email."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from strategy.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def snapshot() -> list[Any]:
    """Every row of every table of the strategy app (history included), the accounts and the emails sent."""
    rows: list[Any] = [list(model._default_manager.order_by("pk").values()) for model in apps.get_app_config("strategy").get_models()]
    rows.append(list(get_user_model().objects.order_by("pk").values("pk", "is_active", "password", "email", "first_name")))
    rows.append(len(mail.outbox))
    return rows


def requests_for(world) -> list[tuple[str, str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """(method, url, data that would succeed for the owner) for every management URL."""
    sector, area, library = world.sector.slug, world.service_area.slug, world.unit_a.slug
    staff_role = Membership.objects.get(user=world.staff)
    names = {"name_fi": "Uusi", "name_sv": "", "name_en": "", "short_name_fi": "", "short_name_sv": "", "short_name_en": ""}
    invite = {
        "first_name": "Uusi",
        "last_name": "Ihminen",
        "email": "uusi@example.fi",
        "organisation": world.unit_a.pk,
        "role": Role.STAFF,
        "language": "fi",
    }
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("get", reverse("organisation-index"), {}),
    ]
    for slug in (sector, library):
        requests += [
            ("get", reverse("organisation-tree", args=[slug]), {}),
            ("get", reverse("organisation-create", args=[slug]), {}),
            ("post", reverse("organisation-create", args=[slug]), {**names, "kind": "unit"}),
            ("get", reverse("organisation-edit", args=[slug]), {}),
            ("post", reverse("organisation-edit", args=[slug]), {**names, "kind": "unit", "version": "1"}),
            ("get", reverse("people-list", args=[slug]), {}),
            ("get", reverse("person-invite", args=[slug]), {}),
            ("post", reverse("person-invite", args=[slug]), invite),
            ("get", reverse("person-detail", args=[slug, world.staff.pk]), {}),
            (
                "post",
                reverse("person-role-add", args=[slug, world.staff.pk]),
                {"organisation": world.unit_a.pk, "role": Role.VIEWER, "title": ""},
            ),
            ("post", reverse("person-role-remove", args=[slug, world.staff.pk, staff_role.pk]), {}),
            ("get", reverse("person-deactivate", args=[slug, world.staff.pk]), {}),
            ("post", reverse("person-deactivate", args=[slug, world.staff.pk]), {}),
        ]
    for slug in (area, library):
        requests += [
            ("get", reverse("organisation-move", args=[slug]), {}),
            ("post", reverse("organisation-move", args=[slug]), {"parent": world.sector.pk, "version": "1"}),
            ("get", reverse("organisation-dissolve", args=[slug]), {}),
            ("post", reverse("organisation-dissolve", args=[slug]), {"dissolved_on": "2026-06-30", "version": "1"}),
        ]
    return requests


@pytest.fixture
def other_owner(world):  # type: ignore[no-untyped-def]
    """An owner of another city, who owns nothing of the world's."""
    city = OrganisationFactory(name="Muukaupunki", slug="muukaupunki", kind="city")
    person = UserFactory(username="otherowner")
    MembershipFactory(user=person, organisation=city, role=Role.OWNER)
    return person


@pytest.mark.parametrize("persona", ["head", "staff", "otherhead", "viewer", "other_owner"])
@pytest.mark.parametrize("htmx", [False, True])
def test_everyone_but_the_owner_gets_404_and_nothing_changes(world, other_owner, persona: str, htmx: bool) -> None:
    user = other_owner if persona == "other_owner" else getattr(world, persona)
    client = Client()
    client.force_login(user)
    headers = {"HX-Request": "true"} if htmx else {}
    requests = requests_for(world)
    before = snapshot()
    for method, url, data in requests:
        if persona == "other_owner" and url == reverse("organisation-index"):
            continue  # they own a city of their own: the index leads there
        response = getattr(client, method)(url, data, headers=headers)
        assert response.status_code == 404, (persona, method, url, response.status_code)
    assert snapshot() == before


def test_the_other_owner_reaches_only_their_own_city(world, other_owner) -> None:
    client = Client()
    client.force_login(other_owner)
    assert client.get(reverse("organisation-index"))["Location"] == reverse("organisation-tree", args=["muukaupunki"])
    assert "Kulttuuri" not in client.get(reverse("organisation-tree", args=["muukaupunki"])).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    before = snapshot()
    for method, url, data in requests_for(world):
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert snapshot() == before


def test_the_owner_gets_every_page_the_others_are_refused(world) -> None:
    """The refusals above are about who asks, not about broken URLs."""
    client = Client()
    client.force_login(world.owner)
    for method, url, _data in requests_for(world):
        if method == "get":
            response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)
