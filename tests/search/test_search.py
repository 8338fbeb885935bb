"""The signed-in search: what it finds, in which language, and what it never shows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from search.services import scope_for_user, search_run
from strategy.models import AnnualPlan, Organisation, Role, Strategy
from strategy.versions import content_sha256, strategy_approve, strategy_snapshot

from ..factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PlanItemFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("search")


def client_for(user, **headers: str) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def found(response) -> str:
    """The results region's text, without tags."""
    return found_text(response.content.decode())


def found_text(html: str) -> str:
    region = html[html.index('id="search-results"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", region))


def approve(strategy: Strategy, user) -> None:
    strategy.refresh_from_db()
    strategy_approve(
        strategy=strategy,
        user=user,
        expected_version=strategy.version,
        expected_content=content_sha256(strategy_snapshot(strategy)),
        approved_on=datetime.date(2025, 1, 1),
        decision_body={"fi": "Valtuusto"},
        decision_reference="",
    )


@pytest.fixture
def outsider(world):
    """A council member of another sector of the city: reads approved strategies only."""
    other = OrganisationFactory(
        name="Sivistys", slug="sivistys", kind=Organisation.Kind.SECTOR, parent=world.city
    )
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=other, role=Role.VIEWER)
    return user


def test_anonymous_person_is_sent_to_sign_in(client) -> None:
    response = client.get(URL, {"q": "kirjasto"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_empty_query_shows_what_can_be_searched(world) -> None:
    response = client_for(world.head).get(URL)
    assert response.status_code == 200
    assert "What are you looking for?" in found(response)
    assert 'role="search"' in response.content.decode()


def test_finds_every_kind_and_links_to_its_page(world) -> None:
    strategy = world.strategy
    strategy.title_fi = "Kulttuuristrategia lukutaito"
    strategy.save()
    goal = GoalFactory(strategy=strategy, title="Lukutaito vahvistuu")
    ObjectiveFactory(goal=goal, title="Lukutaito-osatavoite", number="1.1")
    area = FocusAreaFactory(strategy=strategy, title="Lukutaidon painopiste")
    action = ActionFactory(strategy=strategy, focus_area=area, title="Lukutaitoleiri")
    indicator = Indicator.objects.create(strategy=strategy, name="Lukutaitoiset lapset")
    plan = AnnualPlanFactory(strategy=strategy, unit=world.unit_a, status=AnnualPlan.Status.DRAFT)
    item = PlanItemFactory(
        plan=plan,
        action=ActionFactory(strategy=strategy, title="Satutunti"),
        description="Lukutaitoviikko kirjastossa",
    )

    response = client_for(world.head).get(URL, {"q": "lukutai"})

    text = found(response)
    assert "7 results for “lukutai”" in text
    for heading in (
        "Strategies",
        "Goals",
        "Objectives",
        "Focus areas",
        "Actions",
        "Indicators",
        "Plan items",
    ):
        assert heading in text
    html = response.content.decode()
    detail = reverse("strategy-detail", args=[strategy.slug])
    assert f'href="{detail}"' in html
    assert f'href="{detail}#goals-heading"' in html
    assert "1.1 Lukutaito-osatavoite" in text
    assert f'href="{detail}#focus-{area.pk}"' in html
    assert f'href="{detail}#focus-{action.focus_area_id}"' in html
    assert f'href="{reverse("indicator-detail", args=[strategy.slug, indicator.pk])}"' in html
    assert f'href="{reverse("plan-detail", args=[plan.pk])}#item-{item.pk}"' in html
    assert "<mark>Lukutai</mark>toviikko" in html or "<mark>lukutai</mark>toviikko" in html.lower()
    assert "Kirjasto 2025" in text


def test_every_word_must_match(world) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto avautuu", description="aamulla")
    GoalFactory(strategy=world.strategy, title="Kirjasto sulkeutuu")
    results = search_run(scope=scope_for_user(world.head), query="kirjasto aamulla", language="fi")
    assert [hit.title for hit in results.hits] == ["Kirjasto avautuu"]


def test_head_of_other_unit_never_finds_a_draft_plan_item_of_unit_a(world) -> None:
    plan = AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, status=AnnualPlan.Status.DRAFT
    )
    PlanItemFactory(plan=plan, description="Salainen lukupiiri")

    assert "Salainen" in found(client_for(world.head).get(URL, {"q": "salainen"}))
    assert "Salainen" in found(client_for(world.staff).get(URL, {"q": "salainen"}))
    for user in (world.otherhead, world.viewer):
        text = found(client_for(user).get(URL, {"q": "salainen"}))
        assert "Salainen" not in text
        assert "0 results" in text
        assert "Nothing matches" in text


def test_viewer_finds_a_plan_item_once_the_plan_is_approved(world) -> None:
    plan = AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(plan=plan, description="Hyväksytty lukupiiri")
    assert "Hyväksytty lukupiiri" in found(client_for(world.viewer).get(URL, {"q": "lukupiiri"}))
    assert "Hyväksytty lukupiiri" not in found(
        client_for(world.otherhead).get(URL, {"q": "lukupiiri"})
    )


def test_draft_strategy_is_invisible_to_a_viewer_outside_it(world, outsider) -> None:
    draft = StrategyFactory(
        organisation=world.sector, title="Luonnosstrategia", status=Strategy.Status.DRAFT
    )
    GoalFactory(strategy=draft, title="Luonnostavoite")
    Indicator.objects.create(strategy=draft, name="Luonnosmittari")

    assert "3 results" in found(client_for(world.owner).get(URL, {"q": "luonnos"}))
    text = found(client_for(outsider).get(URL, {"q": "luonnos"}))
    assert "Luonnos" not in text
    assert "0 results" in text


def test_outsider_finds_the_approved_text_not_later_edits(world, outsider) -> None:
    goal = GoalFactory(strategy=world.strategy, title="Kirjastoverkko kattaa kaupungin")
    approve(world.strategy, world.owner)
    goal.title_fi = "Kirjastoverkko karsitaan salaa"
    goal.save()

    outside = found(client_for(outsider).get(URL, {"q": "kirjastoverkko"}))
    assert "Kirjastoverkko kattaa kaupungin" in outside
    assert "salaa" not in outside
    assert "0 results" in found(client_for(outsider).get(URL, {"q": "salaa"}))
    # The owner reads the working copy, as on the strategy's page.
    assert "Kirjastoverkko karsitaan salaa" in found(
        client_for(world.owner).get(URL, {"q": "salaa"})
    )


def test_swedish_query_finds_swedish_text_and_quotes_it_in_swedish(world) -> None:
    goal = GoalFactory(strategy=world.strategy)
    goal.title_fi, goal.title_sv, goal.title_en = "Kirjasto on kaikkien", "Biblioteket är allas", ""
    goal.save()
    response = client_for(world.head, **{"Accept-Language": "fi"}).get(URL, {"q": "biblioteket"})
    html = response.content.decode()
    assert "Kirjasto on kaikkien" in found(response)  # the title in the reader's language
    assert '<p class="search-hit__snippet" lang="sv"><mark>Biblioteket</mark> är allas</p>' in html


def test_title_falls_back_to_finnish_when_the_readers_language_is_empty(world) -> None:
    goal = GoalFactory(strategy=world.strategy)
    goal.title_fi, goal.title_sv, goal.title_en = "Museokortti kaikille", "", ""
    goal.save()
    response = client_for(world.head, **{"Accept-Language": "sv"}).get(URL, {"q": "museokortti"})
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert 'lang="fi">Museokortti kaikille</a>' in html


def test_user_text_is_shown_as_text(world) -> None:
    GoalFactory(
        strategy=world.strategy,
        title="<script>alert('kirja')</script> kirja",
        description="<b>kirja</b>",
    )
    html = client_for(world.head).get(URL, {"q": "kirja"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;" in html
    assert "<b>" not in html


def test_htmx_gets_only_the_results_region(world) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto avautuu")
    response = client_for(world.head).get(URL, {"q": "kirjasto"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "<html" not in html
    assert "Kirjasto avautuu" in html


def test_too_long_query_is_refused_with_a_message(world) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto avautuu")
    response = client_for(world.head).get(URL, {"q": "kirjasto " * 30})
    text = found(response)
    assert "Nothing was searched" in text
    assert "at most 200 characters" in text
    assert "Kirjasto avautuu" not in text


def test_punctuation_only_finds_nothing(world) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto avautuu")
    text = found(client_for(world.head).get(URL, {"q": "%_*'\""}))
    assert "0 results" in text


def test_results_are_paginated(world) -> None:
    for n in range(25):
        GoalFactory(strategy=world.strategy, title=f"Kirjastotavoite {n:02}")
    client = client_for(world.head)
    first = client.get(URL, {"q": "kirjastotavoite"}).content.decode()
    second = client.get(URL, {"q": "kirjastotavoite", "page": 2}).content.decode()
    assert "25 results" in found_text(first)
    assert first.count('class="card search-hit"') == 20
    assert second.count('class="card search-hit"') == 5
    assert "Page 2 of 2" in found_text(second)


def _grow(world, copies: int, tag: str) -> None:
    """``copies`` matching parts of every kind, live and in an approved version."""
    approved = StrategyFactory(organisation=world.city, title=f"Kaupunkistrategia {tag}")
    for strategy in (world.strategy, approved):
        for n in range(copies):
            goal = GoalFactory(strategy=strategy, title=f"Kirjasto {tag}{n}")
            ObjectiveFactory(goal=goal, title=f"Kirjasto-osa {tag}{n}")
            area = FocusAreaFactory(strategy=strategy, title=f"Kirjastoalue {tag}{n}")
            action = ActionFactory(
                strategy=strategy, focus_area=area, title=f"Kirjastotyö {tag}{n}"
            )
            Indicator.objects.create(strategy=strategy, name=f"Kirjastokäynnit {tag}{n}")
            plan, _ = AnnualPlan.objects.get_or_create(
                strategy=strategy, unit=world.unit_a, year=2025
            )
            PlanItemFactory(plan=plan, action=action, description=f"Kirjasto {tag}{n}")
    approve(approved, world.owner)


@pytest.mark.parametrize("persona", ["head", "viewer"])
def test_query_count_does_not_grow_with_the_data(
    world, persona, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(world, persona))
    client.get(URL, {"q": "kirjasto"})  # warm the session up
    _grow(world, 1, "a")
    with django_assert_max_num_queries(25) as little:
        client.get(URL, {"q": "kirjasto"})
    _grow(world, 12, "b")
    with django_assert_max_num_queries(len(little)):
        response = client.get(URL, {"q": "kirjasto"})
    assert "results for" in found(response)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL")
def test_postgresql_finds_inflected_forms_and_ranks_title_matches_first(world) -> None:
    GoalFactory(
        strategy=world.strategy, title="Hyvinvointi", description="Kirjastojen palvelut paranevat"
    )
    GoalFactory(strategy=world.strategy, title="Kirjastot uudistuvat")
    results = search_run(scope=scope_for_user(world.head), query="kirjastot", language="fi")
    assert [hit.title for hit in results.hits] == ["Kirjastot uudistuvat", "Hyvinvointi"]


def test_search_operators_and_quotes_are_read_as_text(world) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjasto avautuu 19.5.2021 klo 18–19.30")
    client = client_for(world.head)
    for query in (
        "kirjasto & | ! ( ) : * <-> 'x' \\",
        "'kirjasto':* | avautuu",
        "19.5.2021 klo 18–19.30",
    ):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        assert "results for" in found(response) or "result for" in found(response)
    assert "Kirjasto avautuu" in found(client.get(URL, {"q": "19.5.2021 klo 18–19.30"}))
