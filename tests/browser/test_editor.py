"""The strategy owner builds a strategy in the edit mode with clicks only:
a vision, a value, goals with an objective, a reorder and a removal, without
page reloads; every page and htmx state passes axe in Finnish and in Swedish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from strategy.models import Goal, Objective, Principle, Vision

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark_page(page) -> None:  # type: ignore[no-untyped-def]
    """A marker on window: it survives htmx swaps and dies with a full page load."""
    page.evaluate("() => { window.__suuntaNoReload = true; }")


def still_same_page(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("() => window.__suuntaNoReload === true")


def add_part(page, region: str, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Open the region's "Add" form, check it with axe, fill it and save."""
    page.locator(f"#region-{region} > .editor-add a").first.click()
    form = page.locator(f"#region-{region} form.part-form")
    expect(form).to_be_visible()
    assert_accessible(page)
    for selector, value in fields.items():
        page.locator(selector).fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#region-{region} form.part-form")).to_have_count(0)


def test_owner_builds_a_strategy_in_the_edit_mode(page, login, world) -> None:  # type: ignore[no-untyped-def]
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/")
    page.locator(f".editor-tools a[href='/strategies/{world.strategy.slug}/edit/']").click()
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect(page.locator("#region-vision")).to_be_visible()
    assert_accessible(page)
    mark_page(page)

    add_part(page, "vision", {"#id_vision_label_fi": "ulkoinen", "#id_vision_text_fi": "Kaupunki, jossa kaikki lukevat"})
    expect(page.locator("#region-vision")).to_contain_text("ulkoinen")
    add_part(page, "principle", {"#id_principle_title_fi": "Avoimuus", "#id_principle_points_fi": "Kerromme\nKuuntelemme"})
    expect(page.locator("#region-principle")).to_contain_text("Avoimuus")
    add_part(page, "goal", {"#id_goal_title_fi": "Lukutaito vahvistuu"})
    add_part(page, "goal", {"#id_goal_title_fi": "Kävijämäärä kasvaa"})
    assert_accessible(page)

    first, second = Goal.objects.filter(strategy=world.strategy).order_by("order")
    # An objective under the first goal.
    page.locator(f"#part-goal-{first.pk} .editor-children .editor-add a").click()
    expect(page.locator("#id_objective_title_fi")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_objective_title_fi").fill("Lapset lukevat")
    page.locator("#region-goal form.part-form button[type=submit]").click()
    expect(page.locator(f"#part-goal-{first.pk} .editor-children")).to_contain_text("Lapset lukevat")

    # The second goal moves above the first with its "Move up" button.
    page.locator(f"#part-goal-{second.pk} > .editor-part__row form:has(input[value='up']) button").click()
    expect(page.locator("#region-goal > ol > li").first).to_have_id(f"part-goal-{second.pk}")
    assert_accessible(page)

    # An invalid save is announced in place; nothing is saved.
    page.locator(f"#part-goal-{second.pk} > .editor-part__row a").first.click()
    page.locator("#id_goal_title_fi").fill("")
    page.locator("#region-goal form.part-form button[type=submit]").click()
    expect(page.locator("#region-goal [role=alert]")).to_be_visible()
    assert_accessible(page)
    page.locator("#region-goal form.part-form a.button--secondary").click()
    expect(page.locator("#region-goal form.part-form")).to_have_count(0)

    # The vision is removed after one confirmation.
    vision = Vision.objects.get(strategy=world.strategy)
    page.locator(f"#part-vision-{vision.pk} .editor-controls a[href$='/delete/']").click()
    confirm = page.locator("#region-vision .confirm-delete")
    expect(confirm).to_be_visible()
    assert_accessible(page)
    confirm.locator("button[type=submit]").click()
    expect(page.locator(f"#part-vision-{vision.pk}")).to_have_count(0)

    assert still_same_page(page)
    assert not Vision.objects.filter(strategy=world.strategy).exists()
    assert Principle.objects.get(strategy=world.strategy).point_list == ["Kerromme", "Kuuntelemme"]
    assert list(Goal.objects.filter(strategy=world.strategy).order_by("order")) == [second, first]
    assert Objective.objects.get().goal == first
    assert Goal.history.filter(history_user=world.owner).count() >= 4

    # The overview shows what was built.
    page.goto(f"/strategies/{world.strategy.slug}/")
    expect(page.locator("#values-heading")).to_be_visible()
    expect(page.locator(".objectives")).to_contain_text("Lapset lukevat")
    assert_accessible(page)


@pytest.mark.parametrize(("language", "goal_title"), [("fi", "Lukutaito"), ("sv", "Läskunnighet")])
def test_editor_pages_pass_axe(page, login, world, language: str, goal_title: str) -> None:  # type: ignore[no-untyped-def]
    goal = Goal.objects.create(strategy=world.strategy, title_fi="Lukutaito", title_sv="Läskunnighet")
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/edit/")
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#region-goal")).to_contain_text(goal_title)
    assert_accessible(page)
    # htmx states: an open edit form, a confirmation.
    page.locator(f"#part-goal-{goal.pk} .editor-controls a").first.click()
    expect(page.locator("#id_goal_title_sv")).to_be_visible()
    assert_accessible(page)
    page.locator("#region-goal form.part-form a.button--secondary").click()
    page.locator(f"#part-goal-{goal.pk} .editor-controls a[href$='/delete/']").click()
    expect(page.locator("#region-goal .confirm-delete")).to_be_visible()
    assert_accessible(page)
    # The plain pages.
    for path in ("edit/settings/", "history/", "edit/goal/new/", f"edit/goal/{goal.pk}/delete/"):
        page.goto(f"/strategies/{world.strategy.slug}/{path}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.goto("/strategies/new/")
    assert_accessible(page)
