"""The search page keeps its rendered results under the results' own keys
and the page asked for: asking again renders nothing, and a change to what
was searched, another page or another reader's reach renders anew."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from search import views
from strategy.models import Goal

from ..factories import GoalFactory, signed_in

pytestmark = pytest.mark.django_db

URL = reverse("search")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The page numbers whose results the search page renders (not read back)."""
    pages: list[str | None] = []
    original = views._results_context

    def counting(context: Any, scope: Any, query: str, number: str | None, keys: Any) -> dict[str, object]:
        pages.append(number)
        return original(context, scope, query, number, keys)

    monkeypatch.setattr(views, "_results_context", counting)
    return pages


def _search(client: Client, **query: str) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_results_are_rendered_once_and_again_after_a_change(world, rendered: list[str | None]) -> None:
    goals = [GoalFactory(strategy=world.strategy, title=f"Kirjasto {n:02}") for n in range(25)]
    client = signed_in(world.owner)
    first = _search(client, q="kirjasto")
    again = _search(client, q="kirjasto")
    assert len(rendered) == 1 and "Kirjasto 00" in first
    assert again[again.index("<main") : again.index("</main>")] == first[first.index("<main") : first.index("</main>")]

    _search(client, q="kirjasto", page="2")
    assert rendered == ["", "2"]

    Goal.objects.filter(pk=goals[0].pk).update(title="Lukusali", title_fi="Lukusali")
    page = _search(client, q="kirjasto")
    assert rendered == ["", "2", ""] and "Kirjasto 00" not in page


def test_each_reach_renders_its_own_results(world, rendered: list[str | None]) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto")
    owner, head = signed_in(world.owner), signed_in(world.head)
    _search(owner, q="kirjasto")
    _search(head, q="kirjasto")
    assert len(rendered) == 2


def test_the_htmx_results_region_comes_from_the_same_cache(world, rendered: list[str | None]) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto")
    client = signed_in(world.owner)
    _search(client, q="kirjasto")
    fragment = client.get(URL, {"q": "kirjasto"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Kirjasto" in fragment and len(rendered) == 1
