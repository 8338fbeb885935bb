"""Drafts and unapproved changes are read only by members of the owning
organisation's subtree and of the organisations above it; anyone else who
may read the strategy sees its approved version."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import Goal, Organisation, Role, Strategy
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, every_part

from .test_versions_approve import approve, edit_goal, owner_client

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsider(world) -> Any:
    """A council member of another city: reads approved strategies only."""
    city = OrganisationFactory(kind=Organisation.Kind.CITY)
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=city, role=Role.VIEWER)
    return user


@pytest.fixture
def city_owner(world) -> Any:
    """An owner of the city above the sector."""
    user = UserFactory(username="cityowner")
    MembershipFactory(user=user, organisation=world.city, role=Role.OWNER)
    return user


def test_a_reader_outside_sees_the_approved_text_not_the_unapproved_edit(world, outsider) -> None:
    every_part(world.strategy)
    owner = owner_client(world)
    approve(owner, world.strategy)
    edit_goal(owner, world.strategy, Goal.objects.get(), "Luonnos: lukutaito vahvistuu")
    overview = reverse("strategy-detail", args=[world.strategy.slug])

    outside = client_of(outsider).get(overview)

    assert outside.status_code == 200
    page = outside.content.decode()
    assert "Luonnos: lukutaito vahvistuu" not in page
    assert "Tavoite 0 en" in page  # the approved goal, in the reader's language
    for text in ("Visio 0 en", "Arvo 0 en", "Tavoitetila 0 en", "Valinta 0 en", "Uuteen 0 en", "Näkökulma 0 en",
                 "Osatavoite 0 en", "Kärki 0 en", "Painopiste 0 en", "Toimi 0 en", "Sidosryhmä 0 en", "Osio 0 en"):
        assert text in page, text
    assert "Draft changes since" not in page and "not approved yet" not in page

    # Members of the owning organisation's subtree read the working copy, with a notice.
    for user in (world.head, world.viewer, world.otherhead):
        inside = client_of(user).get(overview).content.decode()
        assert "Luonnos: lukutaito vahvistuu" in inside, user
        assert "changes that are not approved yet" in inside


def test_the_approved_version_is_shown_in_the_readers_language(world, outsider) -> None:
    every_part(world.strategy)
    owner = owner_client(world)
    approve(owner, world.strategy)
    edit_goal(owner, world.strategy, Goal.objects.get(), "Luonnos")
    overview = reverse("strategy-detail", args=[world.strategy.slug])
    page = client_of(outsider).get(overview, headers={"Accept-Language": "sv"}).content.decode()
    assert "Tavoite 0 sv" in page and "Luonnos" not in page


def test_a_draft_is_seen_by_its_subtree_and_the_organisations_above_only(world, outsider, city_owner) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    sibling = OrganisationFactory(kind=Organisation.Kind.SECTOR, parent=world.city)
    sibling_owner = UserFactory(username="siblingowner")
    MembershipFactory(user=sibling_owner, organisation=sibling, role=Role.OWNER)
    overview = reverse("strategy-detail", args=[world.strategy.slug])

    for user in (world.owner, world.head, world.staff, world.otherhead, world.viewer, city_owner):
        assert Strategy.objects.visible_to(user).filter(pk=world.strategy.pk).exists(), user
        assert Strategy.objects.drafts_visible_to(user).filter(pk=world.strategy.pk).exists(), user
        assert client_of(user).get(overview).status_code == 200, user
    for user in (outsider, sibling_owner):
        assert not Strategy.objects.visible_to(user).filter(pk=world.strategy.pk).exists(), user
        assert client_of(user).get(overview).status_code == 404, user

    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.APPROVED)
    for user in (outsider, sibling_owner):
        assert client_of(user).get(overview).status_code == 200, user
        assert not Strategy.objects.drafts_visible_to(user).filter(pk=world.strategy.pk).exists(), user
