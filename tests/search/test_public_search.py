"""The public search: published strategies as their approved version reads, nothing else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from strategy.models import AnnualPlan, Strategy

from ..factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    PlanItemFactory,
    StrategyFactory,
)
from .test_search import approve, found, found_text

pytestmark = pytest.mark.django_db

URL = reverse("public-search")


def publish(strategy: Strategy, owner) -> None:
    approve(strategy, owner)
    Strategy.objects.filter(pk=strategy.pk).update(published=True)


def test_anyone_gets_the_empty_state_without_signing_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "What are you looking for?" in found(response)
    assert "Search the published strategies" in response.content.decode()


def test_public_pages_carry_the_search_box(world, client) -> None:
    html = client.get(reverse("public-index")).content.decode()
    assert f'action="{URL}"' in html
    assert 'role="search"' in html


def test_finds_the_approved_text_of_a_published_strategy_and_links_to_its_public_page(
    world, client
) -> None:
    strategy = world.strategy
    goal = GoalFactory(strategy=strategy, title="Kirjastot kaikille")
    area = FocusAreaFactory(strategy=strategy, title="Kirjastojen verkko")
    action = ActionFactory(strategy=strategy, focus_area=area, title="Kirjastoauto kiertää")
    indicator = Indicator.objects.create(strategy=strategy, name="Kirjastokäynnit")
    publish(strategy, world.owner)
    goal.title_fi = "Kirjastot suljetaan"
    goal.save()

    response = client.get(URL, {"q": "kirjasto"})

    text = found(response)
    html = response.content.decode()
    page = reverse("public-strategy", kwargs={"org_slug": world.sector.slug, "slug": strategy.slug})
    assert "4 results" in text
    assert "Kirjastot kaikille" in text
    assert "suljetaan" not in text
    assert f'href="{page}#goals"' in html
    assert f'href="{page}#area-{area.pk}"' in html
    assert f'href="{page}#area-{action.focus_area_id}"' in html
    public_indicator = reverse(
        "public-indicator",
        kwargs={"org_slug": world.sector.slug, "slug": strategy.slug, "pk": indicator.pk},
    )
    assert f'href="{public_indicator}"' in html
    assert reverse("strategy-detail", args=[strategy.slug]) not in html
    assert client.get(page).status_code == 200


def test_unpublished_and_draft_strategies_are_not_searched(world, client) -> None:
    approved = StrategyFactory(organisation=world.sector, title="Hyväksytty kirjastostrategia")
    approve(approved, world.owner)  # approved but never published
    draft = StrategyFactory(
        organisation=world.sector, title="Kirjastoluonnos", status=Strategy.Status.DRAFT
    )
    Strategy.objects.filter(pk=draft.pk).update(published=True)
    no_version = StrategyFactory(
        organisation=world.sector, title="Kirjasto ilman versiota", published=True
    )
    GoalFactory(strategy=no_version, title="Kirjastotavoite")

    text = found(client.get(URL, {"q": "kirjasto"}))

    assert "0 results" in text


def test_plan_items_never_appear_even_of_approved_plans(world, client) -> None:
    publish(world.strategy, world.owner)
    plan = AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(
        plan=plan, description="Lukupiiri kokoontuu", responsible_person="Maija Meikäläinen"
    )

    for user in (None, world.owner):
        client = Client()
        if user:
            client.force_login(user)
        text = found(client.get(URL, {"q": "lukupiiri"}))
        assert "0 results" in text
        assert "Plan items" not in text


def test_htmx_gets_only_the_results_region(world, client) -> None:
    GoalFactory(strategy=world.strategy, title="Kirjastot kaikille")
    publish(world.strategy, world.owner)
    html = client.get(URL, {"q": "kirjastot"}, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "Kirjastot kaikille" in found_text(html)


def test_query_count_does_not_grow_with_the_data(
    world, client, django_assert_max_num_queries
) -> None:
    def grow(copies: int, tag: str) -> None:
        strategy = StrategyFactory(organisation=world.sector, title=f"Kirjastostrategia {tag}")
        for n in range(copies):
            area = FocusAreaFactory(strategy=strategy, title=f"Kirjastoalue {tag}{n}")
            ActionFactory(strategy=strategy, focus_area=area, title=f"Kirjastotyö {tag}{n}")
            GoalFactory(strategy=strategy, title=f"Kirjasto {tag}{n}")
            Indicator.objects.create(strategy=strategy, name=f"Kirjastokäynnit {tag}{n}")
        publish(strategy, world.owner)

    grow(1, "a")
    with django_assert_max_num_queries(5) as little:
        client.get(URL, {"q": "kirjasto"})
    grow(15, "b")
    grow(15, "c")
    with django_assert_max_num_queries(len(little)):
        response = client.get(URL, {"q": "kirjasto"})
    assert "results for" in found(response)
