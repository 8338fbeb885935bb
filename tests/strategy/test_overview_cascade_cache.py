"""The overview's strategy cascade is cached by every strategy's content and
the reader's reach: a sub-strategy shows to whoever may see it, at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Strategy
from tests.factories import StrategyFactory, signed_in

pytestmark = pytest.mark.django_db


def _overview(client: Client, strategy: Strategy) -> str:
    response = client.get(reverse("strategy-detail", args=[strategy.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_sub_strategy_shows_to_its_readers_and_to_all_once_approved(world) -> None:
    child = StrategyFactory(organisation=world.unit_a, parent=world.strategy, slug="kirjasto", title="Kirjaston strategia", status=Strategy.Status.DRAFT)
    head, otherhead = signed_in(world.head), signed_in(world.otherhead)
    assert "Kirjaston strategia" in _overview(head, world.strategy)
    assert "Kirjaston strategia" not in _overview(otherhead, world.strategy)

    Strategy.objects.filter(pk=child.pk).update(status=Strategy.Status.APPROVED)
    assert "Kirjaston strategia" in _overview(otherhead, world.strategy)

    Strategy.objects.filter(pk=child.pk).update(title="Lukemisen strategia", title_fi="Lukemisen strategia")
    assert "Lukemisen strategia" in _overview(head, world.strategy)


def test_a_second_visit_asks_six_queries(world) -> None:
    StrategyFactory(organisation=world.unit_a, parent=world.strategy, slug="kirjasto", title="Kirjaston strategia")
    client = signed_in(world.owner)
    _overview(client, world.strategy)
    with CaptureQueriesContext(connection) as queries:
        assert "Kirjaston strategia" in _overview(client, world.strategy)
    # The session, the user, the memberships, the strategy, its latest version
    # (it has none yet) and its content stamp with the other stamps.
    assert len(queries) == 6, [query["sql"][:80] for query in queries]
