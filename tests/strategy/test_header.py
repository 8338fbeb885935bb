"""The page header names the user's most telling roles, not every membership."""

from __future__ import annotations

import pytest
from django.test import Client

from strategy.models import Role

from ..factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_header_shows_strongest_roles_first_and_counts_the_rest(world) -> None:
    for n in range(3):
        MembershipFactory(user=world.owner, organisation=OrganisationFactory(name=f"Muu kaupunki {n}"), role=Role.VIEWER)
    client = Client()
    client.force_login(world.owner)
    html = client.get("/").content.decode()
    header = html[html.index('class="site-header__org"') : html.index("</p>", html.index('class="site-header__org"'))]
    assert "Kulttuuri ja vapaa-aika (Strategy owner)" in header
    assert "Muu kaupunki 2" not in header
    assert "and 2 others" in header


def test_header_of_a_single_role_has_no_count(world) -> None:
    client = Client()
    client.force_login(world.head)
    html = client.get("/").content.decode()
    assert "Kirjasto (Unit head)" in html
    assert " other" not in html[html.index('class="site-header__org"') :][:400]
