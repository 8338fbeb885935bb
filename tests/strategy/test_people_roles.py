"""Owners give and take roles where they manage, never see roles elsewhere,
cannot take away their own last owner role, and deactivate only people who
work nowhere else."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from strategy.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner_client(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.owner)
    return client


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, object]]:
    found = [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]
    return [event for event in found if event["event"] == name]


def test_people_list_shows_roles_here_and_below(world, owner_client, django_assert_max_num_queries) -> None:
    for n in range(10):
        MembershipFactory(user=UserFactory(username=f"kirjastolainen{n}"), organisation=world.unit_a, role=Role.STAFF)
    with django_assert_max_num_queries(14):
        response = owner_client.get(reverse("people-list", args=[world.sector.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for username in ("head", "staff", "otherhead", "viewer", "owner", "kirjastolainen9"):
        assert username in html
    library = owner_client.get(reverse("people-list", args=[world.unit_a.slug])).content.decode()
    assert "head" in library and "otherhead" not in library and "viewer" not in library
    found = owner_client.get(reverse("people-list", args=[world.sector.slug]) + "?q=otherh", headers=HTMX).content.decode()
    assert "otherhead" in found and "kirjastolainen" not in found and "<html" not in found


def test_roles_outside_the_owners_scope_stay_invisible(world, owner_client) -> None:
    elsewhere = OrganisationFactory(name="Lahden museot", slug="lahti")
    MembershipFactory(user=world.head, organisation=elsewhere, role=Role.HEAD, title="Museonjohtaja")
    MembershipFactory(user=world.head, organisation=world.city, role=Role.VIEWER)
    page = owner_client.get(reverse("person-detail", args=[world.sector.slug, world.head.pk])).content.decode()
    assert "Kirjasto" in page
    assert "Lahden museot" not in page and "Museonjohtaja" not in page and "Testikaupunki" not in page
    listing = owner_client.get(reverse("people-list", args=[world.sector.slug])).content.decode()
    assert "Lahden museot" not in listing
    # Someone with roles only elsewhere is nobody here.
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=elsewhere, role=Role.STAFF)
    assert owner_client.get(reverse("person-detail", args=[world.sector.slug, stranger.pk])).status_code == 404
    outside = Membership.objects.get(user=world.head, organisation=elsewhere)
    url = reverse("person-role-remove", args=[world.sector.slug, world.head.pk, outside.pk])
    assert owner_client.post(url).status_code == 404
    assert Membership.objects.filter(pk=outside.pk).exists()


def test_owner_gives_and_takes_a_role_with_history_and_log(world, owner_client, caplog) -> None:
    url = reverse("person-role-add", args=[world.sector.slug, world.staff.pk])
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = owner_client.post(url, {"organisation": world.unit_b.pk, "role": Role.VIEWER, "title": "Lainaaja"}, headers=HTMX)
    assert response.status_code == 200 and "Role added." in response.content.decode()
    added = Membership.objects.get(user=world.staff, organisation=world.unit_b)
    assert (added.role, added.title) == ("viewer", "Lainaaja")
    assert added.history.get().history_user == world.owner
    [event] = events(caplog, "people.role_added")
    assert (event["target"], event["organisation"], event["role"], event["username"]) == ("staff", "museo", "viewer", "owner")
    # The same role twice is refused.
    again = owner_client.post(url, {"organisation": world.unit_b.pk, "role": Role.VIEWER})
    assert again.status_code == 409
    assert Membership.objects.filter(user=world.staff, organisation=world.unit_b).count() == 1
    # Outside the page's node: not offered.
    assert owner_client.post(url, {"organisation": world.city.pk, "role": Role.VIEWER}).status_code == 422

    remove = reverse("person-role-remove", args=[world.sector.slug, world.staff.pk, added.pk])
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        assert owner_client.post(remove).status_code == 302
    assert not Membership.objects.filter(pk=added.pk).exists()
    deleted = Membership.history.filter(id=added.pk, history_type="-").get()
    assert deleted.history_user == world.owner
    [event] = events(caplog, "people.role_removed")
    assert (event["target"], event["organisation"], event["role"]) == ("staff", "museo", "viewer")


def test_an_owner_cannot_remove_their_own_last_owner_role(world, owner_client) -> None:
    own = Membership.objects.get(user=world.owner, role=Role.OWNER)
    url = reverse("person-role-remove", args=[world.sector.slug, world.owner.pk, own.pk])
    response = owner_client.post(url, headers=HTMX)
    assert response.status_code == 409 and "last owner role" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    # With a second owner role below, the upper one may go.
    below = MembershipFactory(user=world.owner, organisation=world.service_area, role=Role.OWNER)
    assert owner_client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert Membership.objects.filter(pk=below.pk).exists()


def test_an_owner_removes_another_owners_role_in_their_scope(world, owner_client) -> None:
    coowner = MembershipFactory(user=UserFactory(username="coowner"), organisation=world.service_area, role=Role.OWNER)
    url = reverse("person-role-remove", args=[world.sector.slug, coowner.user.pk, coowner.pk])
    response = owner_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("people-list", args=["kulttuuri"])
    assert not Membership.objects.filter(pk=coowner.pk).exists()


def test_deactivating_someone_who_works_only_here_turns_the_account_off(world, owner_client, caplog) -> None:
    url = reverse("person-deactivate", args=[world.sector.slug, world.staff.pk])
    assert owner_client.get(url).status_code == 200
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = owner_client.post(url, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("people-list", args=["kulttuuri"])
    staff = get_user_model().objects.get(pk=world.staff.pk)
    assert not staff.is_active
    assert Membership.objects.filter(user=staff).exists()  # the history of who did what stays readable
    [event] = events(caplog, "people.deactivated")
    assert (event["target"], event["organisation"]) == ("staff", "kulttuuri")
    assert not Client().login(username="staff", password="suunta-test")


def test_deactivating_someone_with_roles_elsewhere_removes_only_the_roles_here(world, owner_client, caplog) -> None:
    elsewhere = MembershipFactory(user=world.head, organisation=OrganisationFactory(name="Lahti"), role=Role.VIEWER)
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = owner_client.post(reverse("person-deactivate", args=[world.sector.slug, world.head.pk]))
    assert response.status_code == 302
    head = get_user_model().objects.get(pk=world.head.pk)
    assert head.is_active
    assert list(Membership.objects.filter(user=head)) == [elsewhere]
    assert not events(caplog, "people.deactivated")
    assert [e["organisation"] for e in events(caplog, "people.role_removed")] == ["kirjasto"]


def test_administrators_and_oneself_are_never_deactivated(world, owner_client) -> None:
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    MembershipFactory(user=admin, organisation=world.unit_a, role=Role.VIEWER)
    owner_client.post(reverse("person-deactivate", args=[world.sector.slug, admin.pk]))
    admin.refresh_from_db()
    assert admin.is_active and not Membership.objects.filter(user=admin).exists()
    response = owner_client.post(reverse("person-deactivate", args=[world.sector.slug, world.owner.pk]))
    assert response.status_code == 409
    assert get_user_model().objects.get(pk=world.owner.pk).is_active


def test_a_deactivated_person_can_be_invited_back_by_an_owner_of_all_their_roles(world, owner_client) -> None:
    owner_client.post(reverse("person-deactivate", args=[world.sector.slug, world.staff.pk]))
    response = owner_client.post(
        reverse("person-invite", args=[world.sector.slug]),
        {"first_name": "S", "last_name": "T", "email": world.staff.email, "organisation": world.unit_b.pk, "role": "staff", "language": "fi"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=world.staff.pk).is_active
