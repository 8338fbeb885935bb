"""The page header (the navigation, the person's roles, the strategy) costs
every signed-in page: its parts are read and rendered once and reused, yet
show the right links for each person and follow a new membership or a
renamed strategy at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from strategy.access import Access
from strategy.models import Membership, Organisation, Role

from ..factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def orm_memberships(user: object) -> list[Membership]:
    """What ``Access.memberships`` reads, written with the ORM."""
    return list(
        Membership.objects.filter(user=user, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )


def as_values(memberships: list[Membership]) -> list[tuple[object, ...]]:
    fields = [f.attname for f in Membership._meta.concrete_fields]
    org_fields = [f.attname for f in Organisation._meta.concrete_fields]
    return [
        (
            tuple(getattr(m, name) for name in fields),
            tuple((getattr(m.organisation, name), type(getattr(m.organisation, name))) for name in org_fields),
            m._state.db,
            m._state.adding,
        )
        for m in memberships
    ]


def test_memberships_read_in_sql_are_the_objects_the_orm_reads(world, django_assert_num_queries) -> None:
    dissolved = OrganisationFactory(name="Lakkautettu", slug="lakkautettu", parent=world.city, is_active=False)
    old = OrganisationFactory(name="Vanha", slug="vanha", parent=world.city, dissolved_on=date(2030, 1, 1))
    MembershipFactory(user=world.head, organisation=dissolved, role=Role.OWNER)
    MembershipFactory(user=world.head, organisation=old, role=Role.VIEWER, title="Tarkkailija")
    MembershipFactory(user=world.head, organisation=world.unit_a, role=Role.STAFF)

    with django_assert_num_queries(1):
        memberships = Access(world.head).memberships
        names = [m.organisation.name for m in memberships]

    assert as_values(memberships) == as_values(orm_memberships(world.head))
    assert names == ["Kirjasto", "Kirjasto", "Vanha"]
    assert [m.role for m in memberships] == [Role.HEAD, Role.STAFF, Role.VIEWER]
    assert memberships[2].organisation.dissolved_on == date(2030, 1, 1)
    assert memberships[0].organisation.is_active is True


def test_a_visitor_who_is_not_signed_in_has_no_memberships(django_assert_num_queries) -> None:
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert Access(AnonymousUser()).memberships == []


def test_home_page_answers_for_every_persona(client: Client, world) -> None:
    for persona in ("owner", "head", "staff", "viewer"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("home")).status_code == 200
