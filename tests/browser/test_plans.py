"""A unit head keeps the library's plan up to date without page reloads; the
owner returns it with a comment and then approves it. axe passes throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from strategy.models import AnnualPlan, PlanItem
from tests.strategy.plan_fixtures import Plans, plans_fixture  # noqa: F401

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark_page(page) -> None:  # type: ignore[no-untyped-def]
    """A marker on window: it survives htmx swaps and dies with a full page load."""
    page.evaluate("() => { window.__suuntaNoReload = true; }")


def still_same_page(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("() => window.__suuntaNoReload === true")


def switch_user(page, login, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(page, username)


def test_head_updates_plan_inline_and_owner_returns_then_approves(page, login, world, plans: Plans) -> None:  # type: ignore[no-untyped-def]
    plan = plans.library
    first, second = plans.items[0], plans.items[1]

    login(page, "head")
    page.goto("/")
    # Home → the plan: the banner links straight to this year's plan.
    page.locator(".my-units-banner").get_by_role("link", name=re.compile("Kirjasto")).click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/$"))
    expect(page.locator("#plan-rollup .rollup__progress")).to_contain_text("0 %")
    assert_accessible(page)
    mark_page(page)

    # Status and progress inline: the row swaps, the roll-up follows out of band.
    page.select_option(f"#id_item{first.pk}_status", "on_track")
    page.fill(f"#id_item{first.pk}_progress", "60")
    page.click(f"#item-{first.pk}-save")
    expect(page.locator(f"#item-{first.pk} .saved")).to_be_visible()
    expect(page.locator(f"#item-{first.pk} .badge--on_track")).to_be_visible()
    expect(page.locator("#plan-rollup .rollup__progress")).to_contain_text("20 %")
    # Swapped in place, not torn into the items table.
    expect(page.locator("#plan-rollup")).to_have_count(1)
    expect(page.locator(".plan-items .rollup")).to_have_count(0)
    expect(page.locator("main > article > #plan-rollup")).to_have_count(1)
    assert still_same_page(page)
    assert_accessible(page)

    page.select_option(f"#id_item{second.pk}_status", "delayed")
    page.fill(f"#id_item{second.pk}_progress", "10")
    page.click(f"#item-{second.pk}-save")
    expect(page.locator("#plan-rollup .rollup__summary .light--red")).to_be_visible()
    assert still_same_page(page)

    # The other fields in an inline edit row, also without a reload.
    page.locator(f"#item-{second.pk} a[href$='/edit/']").click()
    schedule = page.locator(f"#id_item{second.pk}_schedule")
    expect(schedule).to_be_visible()
    assert_accessible(page)
    schedule.fill("Syksy 2026")
    page.locator(f"#item-{second.pk} form button[type=submit]").click()
    expect(page.locator(f"#item-{second.pk}")).to_contain_text("Syksy 2026")
    assert still_same_page(page)

    item = PlanItem.objects.get(pk=first.pk)
    assert (item.status, item.progress, item.updated_by) == ("on_track", 60, world.head)
    assert PlanItem.objects.get(pk=second.pk).schedule == "Syksy 2026"

    page.click("#plan-submit-button")
    expect(page.locator("#plan-status .badge--submitted")).to_be_visible()
    assert still_same_page(page)
    assert_accessible(page)

    # The owner returns it with a comment.
    switch_user(page, login, "owner")
    page.goto(f"/plans/{plan.pk}/")
    page.fill("#id_comment", "Lisätkää lukudiplomin budjetti.")
    page.click("#plan-return-button")
    expect(page.locator("#plan-status .badge--returned")).to_be_visible()
    assert AnnualPlan.objects.get(pk=plan.pk).status == "returned"

    # The head sees the comment, and resubmits.
    switch_user(page, login, "head")
    page.goto(f"/plans/{plan.pk}/")
    expect(page.locator(".return-comment")).to_contain_text("Lisätkää lukudiplomin budjetti.")
    assert_accessible(page)
    page.click("#plan-submit-button")
    expect(page.locator("#plan-status .badge--submitted")).to_be_visible()

    # The owner approves.
    switch_user(page, login, "owner")
    page.goto(f"/plans/{plan.pk}/")
    page.click("#plan-approve-button")
    expect(page.locator("#plan-status .badge--approved")).to_be_visible()
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.owner


def test_plan_side_pages_pass_axe(page, login, world, plans: Plans) -> None:  # type: ignore[no-untyped-def]
    login(page, "head")
    item = plans.items[0]
    for url in (
        "/my-units/",
        f"/strategies/{world.strategy.slug}/plans/",
        f"/strategies/{world.strategy.slug}/plans/new/",
        f"/strategies/{world.strategy.slug}/roadmap/",
        f"/strategies/{world.strategy.slug}/",
        f"/plan-items/{item.pk}/edit/",
        f"/plan-items/{item.pk}/history/",
        f"/plan-items/{item.pk}/comments/",
        f"/plans/{plans.library.pk}/print/",
    ):
        page.goto(url)
        assert_accessible(page)
    # A comment through htmx, then axe again on the swapped section.
    page.goto(f"/plan-items/{item.pk}/comments/")
    mark_page(page)
    page.fill("#id_text", "Hyvä suunnitelma.")
    page.locator("#comments button[type=submit]").click()
    expect(page.locator("#comments .comment")).to_contain_text("Hyvä suunnitelma.")
    assert still_same_page(page)
    assert_accessible(page)
