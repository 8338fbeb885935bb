"""The overview's content is cached as HTML by content stamp, version shown and
language: a second visit reads no part of the strategy, and every change to
what the content shows (a part, a link, a name from outside the strategy)
shows at once, to insiders and outside readers each their own version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Action, Goal, Organisation, Role, Strategy
from tests.factories import (
    GoalFactory,
    MembershipFactory,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
    every_part,
)

from .test_content_stamp import stamp
from .test_versions_approve import approve, edit_goal, owner_client

pytestmark = pytest.mark.django_db


def overview(client: Client, strategy: Strategy) -> str:
    response = client.get(reverse("strategy-detail", args=[strategy.slug]))
    assert response.status_code == 200
    return response.content.decode()


def reader_client() -> Client:
    """Someone of another organisation: reads the approved version."""
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, organisation=OrganisationFactory(kind=Organisation.Kind.CITY), role=Role.VIEWER)
    client = Client()
    client.force_login(outsider)
    return client


def test_a_second_visit_reads_no_part_of_the_strategy(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    overview(client, world.strategy)
    with CaptureQueriesContext(connection) as queries:
        page = overview(client, world.strategy)
    assert "Toimi 0 en" in page and "Visio 0 en" in page and "Kärki 0 en" in page
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("strategy_action", "strategy_vision", "strategy_goal", "strategy_spearheadprogramme", "strategy_section"):
        assert f'FROM "{table}"' not in tables, table


def test_an_edited_part_shows_at_once(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    overview(client, world.strategy)
    edit_goal(client, world.strategy, Goal.objects.get(strategy=world.strategy), "Uusi tavoite")
    assert "Uusi tavoite" in overview(client, world.strategy)
    Action.objects.filter(strategy=world.strategy).update(title_en="Bulk-renamed action")
    assert "Bulk-renamed action" in overview(client, world.strategy)


def test_a_renamed_responsible_unit_shows_at_once(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    unit = Action.objects.get(strategy=world.strategy).responsible_units.get()
    assert unit.name in overview(client, world.strategy)
    before = stamp(world.strategy)
    Organisation.objects.filter(pk=unit.pk).update(name_en="Renamed unit", name="Renamed unit")
    assert stamp(world.strategy) != before
    assert "Renamed unit" in overview(client, world.strategy)


def test_a_renamed_goal_of_the_parent_strategy_shows_at_once(world) -> None:
    parent = StrategyFactory(organisation=world.city, slug="kaupunkistrategia")
    parent_goal = GoalFactory(strategy=parent, title_en="City goal")
    Strategy.objects.filter(pk=world.strategy.pk).update(parent=parent)
    GoalFactory(strategy=world.strategy, title_en="Sector goal", contributes_to=parent_goal)
    client = owner_client(world)
    assert "City goal" in overview(client, world.strategy)
    Goal.objects.filter(pk=parent_goal.pk).update(title_en="Renamed city goal")
    assert "Renamed city goal" in overview(client, world.strategy)


def test_insiders_and_readers_each_see_their_version_from_the_cache(world) -> None:
    every_part(world.strategy)
    owner = owner_client(world)
    approve(owner, world.strategy)
    edit_goal(owner, world.strategy, Goal.objects.get(strategy=world.strategy), "Luonnos")
    reader = reader_client()
    for _visit in range(2):
        assert "Luonnos" in overview(owner, world.strategy)
        page = overview(reader, world.strategy)
        assert "Luonnos" not in page and "Tavoite 0 en" in page
    approve(owner, world.strategy, approved_on="2023-01-01")
    assert "Luonnos" in overview(reader, world.strategy)


def test_each_language_has_its_own_content(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    assert "Visio 0 en" in overview(client, world.strategy)
    client.cookies["django_language"] = "sv"
    page = overview(client, world.strategy)
    assert "Visio 0 sv" in page and "Visio 0 en" not in page
