"""The owner approves a strategy, edits it and reads what changed since the
approved version; every page passes axe in Finnish and in Swedish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from strategy.models import Goal, Strategy, StrategyVersion

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_owner_approves_edits_and_reads_the_changes(page, login, world) -> None:  # type: ignore[no-untyped-def]
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    goal = Goal.objects.create(strategy=world.strategy, title_fi="Lukutaito", title_sv="Läskunnighet")
    slug = world.strategy.slug
    login(page, "owner")
    page.goto(f"/strategies/{slug}/")
    expect(page.locator(".version-banner")).to_be_visible()
    assert_accessible(page)

    # Approve: the form sends itself with htmx and the browser lands on the overview.
    page.locator(f".version-banner a[href='/strategies/{slug}/approve/']").click()
    expect(page).to_have_url(re.compile(r"/approve/$"))
    assert_accessible(page)
    page.locator("#id_decision_reference").fill("14.6.2022 § 57")
    page.locator("#approve-form button[type=submit]").click()
    expect(page.locator("#approve-form [role=alert]")).to_be_visible()  # the decision body is missing
    assert_accessible(page)
    page.locator("#id_decision_body_fi").fill("Kaupunginvaltuusto")
    page.locator("#approve-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/strategies/{slug}/$"))
    expect(page.locator(".approval-line")).to_contain_text("Kaupunginvaltuusto 14.6.2022 § 57")
    assert StrategyVersion.objects.get().number == 1

    # Edit a goal in the edit mode's plain form.
    page.goto(f"/strategies/{slug}/edit/goal/{goal.pk}/")
    page.locator("#id_goal_title_fi").fill("Lukutaito vahvistuu")
    page.locator("#id_goal_title_sv").fill("Läskunnigheten ökar")
    page.locator("form.part-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/edit/"))

    page.goto(f"/strategies/{slug}/")
    banner = page.locator(".version-banner--pending")
    expect(banner).to_be_visible()
    assert_accessible(page)
    banner.locator(f"a[href='/strategies/{slug}/versions/1/changes/']").click()
    expect(page.locator("#changes")).to_contain_text("Lukutaito vahvistuu")
    assert_accessible(page)

    for language, text in (("sv", "Läskunnigheten ökar"), ("fi", "Lukutaito vahvistuu")):
        switch_language(page, language)
        expect(page.locator("#changes")).to_contain_text(text)
        assert_accessible(page)
        for path in ("versions/", "approve/", "archive/", ""):
            page.goto(f"/strategies/{slug}/{path}")
            expect(page.locator("h1")).to_be_visible()
            assert_accessible(page)
        page.goto(f"/strategies/{slug}/versions/1/changes/")
