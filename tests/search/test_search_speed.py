"""The search at city scale: every match is ranked, but only the hits a page
shows are made (link, context, snippet), and the queries do not grow with
the data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import search.services
from indicators.models import Indicator
from search.services import Hit, scope_for_user, search_run
from search.views import PAGE_SIZE
from strategy.models import AnnualPlan, Organisation, Role
from tests.conftest import clear_fragment_caches

from ..factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanItemFactory,
    UserFactory,
)
from .test_search import approve

pytestmark = pytest.mark.django_db

URL = reverse("search")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(hit: Hit) -> tuple[object, ...]:
    """Everything of a hit the page shows."""
    return (hit.kind.key, hit.pk, hit.title, hit.title_language, hit.context, hit.url, hit.snippet)


def _fill(world: Any, copies: int) -> None:
    """``copies`` matches of several kinds, some in the title and some in the text only."""
    strategy = world.strategy
    area = FocusAreaFactory(strategy=strategy, title="Kirjastoalue")
    plan, _ = AnnualPlan.objects.get_or_create(strategy=strategy, unit=world.unit_a, year=2025)
    for n in range(copies):
        GoalFactory(strategy=strategy, title=f"Kirjasto {n:02}")
        GoalFactory(strategy=strategy, title=f"Tavoite {n:02}", description="kirjasto auki")
        action = ActionFactory(strategy=strategy, focus_area=area, title=f"Kirjastotyö {n:02}")
        Indicator.objects.create(strategy=strategy, name=f"Käynnit {n:02}", description="kirjasto")
        PlanItemFactory(plan=plan, action=action, description=f"Lukupiiri kirjastossa {n:02}")


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pk of every hit made in full."""
    made: list[int] = []
    make = search.services._hit

    def counting(*args: Any, **kwargs: Any) -> Hit:
        hit = make(*args, **kwargs)
        made.append(hit.pk)
        return hit

    monkeypatch.setattr(search.services, "_hit", counting)
    return made


def test_a_page_makes_only_the_hits_it_shows(world, spy: list[int]) -> None:
    _fill(world, 15)
    response = client_for(world.head).get(URL, {"q": "kirjasto", "page": 2})
    html = response.content.decode()
    total = int(re.search(r"(\d+) results for", html).group(1))
    assert total > 3 * PAGE_SIZE
    assert html.count('class="card search-hit"') == PAGE_SIZE
    assert len(spy) == PAGE_SIZE


def test_hits_made_one_page_at_a_time_are_those_made_all_at_once(world) -> None:
    _fill(world, 12)
    scope = scope_for_user(world.head)
    everything = [
        shown(hit) for hit in search_run(scope=scope, query="kirjasto", language="fi").hits
    ]
    assert len(everything) > 2 * PAGE_SIZE
    paged = search_run(scope=scope, query="kirjasto", language="fi").hits
    pages = [
        [shown(hit) for hit in paged[start : start + PAGE_SIZE]]
        for start in range(0, len(paged), PAGE_SIZE)
    ]
    assert [hit for page in pages for hit in page] == everything
    # A hit read twice is made once and is the same hit.
    assert paged[3] is paged[3]
    assert shown(paged[-1]) == everything[-1]
    with pytest.raises(IndexError):
        paged[len(paged)]


def test_title_matches_come_before_text_matches_within_a_kind(world) -> None:
    _fill(world, 3)
    hits = search_run(scope=scope_for_user(world.head), query="kirjasto", language="fi").hits
    goals = [hit.title for hit in hits if hit.kind.key == "goal"]
    assert goals == [f"Kirjasto {n:02}" for n in range(3)] + [f"Tavoite {n:02}" for n in range(3)]


@pytest.mark.parametrize("persona", ["owner", "head", "viewer"])
def test_search_page_queries_are_equal_at_two_scales(
    world, persona: str, django_assert_max_num_queries
) -> None:
    """Searched afresh or read back from the cache, a search asks as many
    queries of 5 matches as of 200."""
    client = client_for(getattr(world, persona))
    _fill(world, 2)
    client.get(URL, {"q": "kirjasto"})
    clear_fragment_caches()
    with django_assert_max_num_queries(25) as searched:
        client.get(URL, {"q": "kirjasto"})
    with django_assert_max_num_queries(len(searched.captured_queries) - 5) as kept:
        client.get(URL, {"q": "kirjasto", "page": 2})
    _fill(world, 40)
    clear_fragment_caches()
    with django_assert_max_num_queries(len(searched.captured_queries)):
        response = client.get(URL, {"q": "kirjasto", "page": 3})
    assert response.status_code == 200
    with django_assert_max_num_queries(len(kept.captured_queries)):
        again = client.get(URL, {"q": "kirjasto", "page": 3})
    assert again.content.decode().count('class="card search-hit"') == PAGE_SIZE


@pytest.fixture
def council_member(world: Any) -> Any:
    """A viewer in another sector: reads the strategy's approved versions only."""
    other = OrganisationFactory(
        name="Sivistys", slug="sivistys", kind=Organisation.Kind.SECTOR, parent=world.city
    )
    user = UserFactory(username="council")
    MembershipFactory(user=user, organisation=other, role=Role.VIEWER)
    return user


def test_each_new_approved_version_is_searched_and_kept_ones_are_not_read_again(
    world, council_member, django_assert_max_num_queries
) -> None:
    client = client_for(council_member)
    goal = GoalFactory(strategy=world.strategy, title="Kirjastoverkko kattaa kaupungin")
    approve(world.strategy, world.owner)
    assert "kattaa kaupungin" in client.get(URL, {"q": "kirjastoverkko"}).content.decode()

    with django_assert_max_num_queries(25) as kept:
        client.get(URL, {"q": "kirjastoverkko"})
    assert not any('"snapshot"' in query["sql"] for query in kept.captured_queries)

    goal.title_fi = goal.title_en = "Kirjastoverkko tihenee"
    goal.save()
    approve(world.strategy, world.owner)
    html = client.get(URL, {"q": "kirjastoverkko"}).content.decode()
    assert "tihenee" in html
    assert "kattaa kaupungin" not in html


def hits_text(client: Client, query: str) -> str:
    html = client.get(URL, {"q": query}).content.decode()
    region = html[html.index('id="search-results"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", region))


def test_a_kept_search_shows_every_change_at_once(world) -> None:
    """The results are kept by the stamps of what was searched: an edit
    without signals, a plan item saved, a unit renamed, a part deleted are
    all in the next search of the same words."""
    client = client_for(world.head)
    goal = GoalFactory(strategy=world.strategy, title="Lukuintoa kaikille")
    plan = AnnualPlan.objects.create(strategy=world.strategy, unit=world.unit_a, year=2025)
    item = PlanItemFactory(plan=plan, description="Lukuinto-ilta")
    first = hits_text(client, "lukuinto")
    assert "Lukuintoa kaikille" in first
    assert "-ilta" in first  # the snippet, the word marked
    assert hits_text(client, "lukuinto") == first  # read back

    Goal = type(goal)
    Goal.objects.filter(pk=goal.pk).update(title_en="Lukuinto kasvaa")
    assert "Lukuinto kasvaa" in hits_text(client, "lukuinto")

    item.description = "Lukuinto-aamu"
    item.save()
    assert "-aamu" in hits_text(client, "lukuinto")

    unit = Organisation.objects.get(pk=world.unit_a.pk)
    unit.name = "Pääkirjasto"
    unit.save()
    assert "Pääkirjasto 2025" in hits_text(client, "lukuinto")

    Goal.objects.filter(pk=goal.pk).delete()
    assert "Lukuinto kasvaa" not in hits_text(client, "lukuinto")


def test_a_saved_plan_item_searches_the_plan_items_again_and_reads_the_rest_back(
    world, monkeypatch
) -> None:
    """Plan items are saved all day long and the strategy's texts seldom:
    a saved item does not make the search read the strategy's parts again."""
    client = client_for(world.head)
    GoalFactory(strategy=world.strategy, title="Lukuintoa kaikille")
    plan = AnnualPlan.objects.create(strategy=world.strategy, unit=world.unit_a, year=2025)
    item = PlanItemFactory(plan=plan, description="Lukuinto-ilta")
    searched: list[str] = []
    live_matches = search.services._live_matches

    def spy(scope, kind, *args):  # type: ignore[no-untyped-def]
        searched.append(kind.key)
        return live_matches(scope, kind, *args)

    monkeypatch.setattr(search.services, "_live_matches", spy)
    assert "-ilta" in hits_text(client, "lukuinto")
    assert "goal" in searched and "plan-item" in searched
    searched.clear()
    hits_text(client, "lukuinto")
    assert searched == []

    item.description = "Lukuinto-aamu"
    item.save()
    text = hits_text(client, "lukuinto")
    assert "-aamu" in text and "Lukuintoa kaikille" in text
    assert searched == ["plan-item"]


def test_a_kept_search_follows_the_readers_reach(world) -> None:
    """Which plans a reader sees is part of the key: a membership given, or
    a plan approved, shows in the next search of the same words."""
    plan = AnnualPlan.objects.create(
        strategy=world.strategy, unit=world.unit_a, year=2025, status=AnnualPlan.Status.DRAFT
    )
    PlanItemFactory(plan=plan, description="Salainen lukupiiri")
    viewer, otherhead = client_for(world.viewer), client_for(world.otherhead)
    assert "Salainen lukupiiri" not in hits_text(otherhead, "lukupiiri")
    assert "Salainen lukupiiri" not in hits_text(viewer, "lukupiiri")

    MembershipFactory(user=world.otherhead, organisation=world.unit_a, role=Role.STAFF)
    assert "Salainen lukupiiri" in hits_text(client_for(world.otherhead), "lukupiiri")
    assert "Salainen lukupiiri" not in hits_text(viewer, "lukupiiri")

    plan.status = AnnualPlan.Status.APPROVED
    plan.save()
    assert "Salainen lukupiiri" in hits_text(viewer, "lukupiiri")


def test_search_results_are_kept_in_their_own_bounded_cache(world, settings) -> None:
    """A search's matches (large at city scale) do not push rendered page
    regions out of the fragment cache; their own cache has its own bound."""
    from django.core.cache import caches

    assert settings.CACHES["search_results"]["OPTIONS"]["MAX_ENTRIES"] == 40
    _fill(world, 2)
    fragments, results = caches["template_fragments"], caches["search_results"]
    client_for(world.owner).get(URL, {"q": "kirjasto"})
    # The plan items' matches and the others'.
    assert len(results._cache) == 2  # type: ignore[attr-defined]
    kept = list(results._cache)  # type: ignore[attr-defined]
    assert not set(kept) & set(fragments._cache)  # type: ignore[attr-defined]
