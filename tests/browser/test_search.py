"""The search pages pass axe in Finnish and in Swedish, with results, with none
and before a search, after typing (htmx) and on a phone; the header box leads
to them; both work as plain pages too."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator
from strategy.models import AnnualPlan, Strategy
from strategy.versions import content_sha256, strategy_approve, strategy_snapshot
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    PlanItemFactory,
)

from .axe import assert_accessible
from .test_editor_pages_axe import PHONE, assert_no_sideways_scroll, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def findable(world) -> Strategy:  # type: ignore[no-untyped-def]
    """The world's strategy, approved and published, with a part of every kind to find."""
    strategy = world.strategy
    goal = GoalFactory(
        strategy=strategy, title_fi="Kirjasto kaikille", title_sv="Biblioteket för alla"
    )
    goal.description_fi = "Kirjaston palvelut ovat <b>kaikkien</b> ulottuvilla."
    goal.save()
    area = FocusAreaFactory(strategy=strategy, title_fi="Kirjastojen verkko", title_sv="")
    action = ActionFactory(strategy=strategy, focus_area=area, title_fi="Kirjastoauto kiertää")
    Indicator.objects.create(
        strategy=strategy, name_fi="Kirjastokäynnit", name_sv="Biblioteksbesök"
    )
    plan = AnnualPlanFactory(strategy=strategy, unit=world.unit_a, status=AnnualPlan.Status.DRAFT)
    PlanItemFactory(plan=plan, action=action, description="Kirjastoauto käy kylissä")
    strategy.refresh_from_db()
    strategy_approve(
        strategy=strategy,
        user=world.owner,
        expected_version=strategy.version,
        expected_content=content_sha256(strategy_snapshot(strategy)),
        approved_on=datetime.date(2024, 6, 1),
        decision_body={"fi": "Valtuusto", "sv": "Fullmäktige"},
        decision_reference="",
    )
    Strategy.objects.filter(pk=strategy.pk).update(published=True)
    return strategy


def check(page, url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.ok, url
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#search-results h2")).to_be_visible()
    assert_accessible(page)


def type_and_wait(page, words: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the page's search box; htmx replaces the results and pushes the address."""
    page.locator("#search-q").fill(words)
    expect(page).to_have_url(f"{page.url.split('?')[0]}?q={quote(words)}", timeout=10_000)
    expect(page.locator("#search-results")).to_contain_text(words)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_signed_in_search_passes_axe_with_results_with_none_and_while_typing(
    page, login, findable, language
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("search")
    login(page, "head")
    page.goto("/")
    switch_language(page, language)

    # The header's box leads to the results page.
    page.locator("#site-search-q").fill("kirjasto")
    with page.expect_navigation():
        page.locator("form.site-search [type=submit]").click()
    expect(page.locator("#search-results")).to_contain_text("Kirjastoauto käy kylissä")
    assert_accessible(page)

    check(page, url, language)  # before a search
    check(page, f"{url}?q=zzqx", language)  # nothing found
    if language == "fi":  # a Swedish word: the Swedish text is quoted, marked as Swedish
        check(page, f"{url}?q=biblioteket", language)
        # PostgreSQL's prefix matching also finds "Biblioteksbesök": any Swedish snippet will do.
        expect(page.locator(".search-hit__snippet[lang='sv']").first).to_be_visible()
    else:  # no Swedish title: the Finnish one, marked as Finnish
        check(page, f"{url}?q=kirjastojen", language)
        expect(page.locator(".search-hit__title a[lang='fi']").first).to_be_visible()

    type_and_wait(page, "kirjastoauto")
    expect(page.locator("#search-results .search-hit")).to_have_count(2)
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    check(page, f"{url}?q=kirjasto", language)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_public_search_passes_axe_with_results_with_none_and_while_typing(
    page, findable, language
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("public-search")
    page.goto(f"{reverse('public-language')}?language={language}&next={reverse('public-index')}")
    expect(page.locator("html")).to_have_attribute("lang", language)

    page.locator("#site-search-q").fill("kirjasto")
    with page.expect_navigation():
        page.locator("form.site-search [type=submit]").click()
    expect(page.locator("#search-results")).to_contain_text("Kirjastoauto kiertää")
    expect(page.locator("#search-results")).not_to_contain_text("kylissä")  # no plan items
    assert_accessible(page)

    check(page, url, language)
    check(page, f"{url}?q=zzqx", language)
    check(page, f"{url}?q=kirjastoauto", language)

    type_and_wait(page, "kirjastojen")
    expect(page.locator("#search-results .search-hit")).to_have_count(1)
    assert_accessible(page)
    page.locator("#search-results .search-hit a").first.click()
    expect(page.locator("h1")).to_be_visible()

    page.set_viewport_size(PHONE)
    check(page, f"{url}?q=kirjasto", language)
    assert_no_sideways_scroll(page)
