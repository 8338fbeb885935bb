"""Fixes found by an accessibility review, each checked in Chromium:
keyboard access to scrolling tables, focus after inline edits, no sideways
scrolling on a phone with long Finnish words, and the accessibility
statement's pages passing axe in Finnish and Swedish and on a phone."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, Measurement, Target
from indicators.services import judgement_year
from strategy.models import Goal, Organisation, Strategy
from tests.factories import ActionFactory, GoalFactory, UserFactory
from tests.strategy.plan_fixtures import Plans, plans_fixture  # noqa: F401

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# 40 characters, no place to break: a Finnish compound as long as real ones get.
LONG_WORD = "Kulttuuripalveluverkostokehittämisohjelm"
assert len(LONG_WORD) == 40


def active(page) -> dict:  # type: ignore[no-untyped-def]
    """What has the keyboard focus: its id, tag and the ids of its row/form."""
    return page.evaluate(
        """() => { const el = document.activeElement; return {
            id: el.id, tag: el.tagName.toLowerCase(),
            inForm: el.closest('form') ? (el.closest('form').className || '') : null,
            field: el.matches('input, select, textarea') }; }"""
    )


@pytest.fixture
def visitors(world) -> Indicator:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Kirjaston kävijämäärä",
        unit_of_measure="käyntiä",
        direction="increase",
    )
    for year in world.strategy.years:
        for unit in (world.unit_a, world.unit_b):
            Target.objects.create(indicator=indicator, year=year, unit=unit, value=Decimal(1500))
    Measurement.objects.create(
        indicator=indicator, year=2022, unit=world.unit_a, value=Decimal(900)
    )
    return indicator


# --- keyboard access to scrolling tables -------------------------------------


def test_indicator_tables_are_named_regions_reached_and_scrolled_by_keyboard(
    page, login, world, visitors
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{visitors.pk}/")
    wraps = page.locator(".table-wrap")
    assert wraps.count() >= 2
    for index in range(wraps.count()):
        wrap = wraps.nth(index)
        assert wrap.get_attribute("tabindex") == "0"
        assert wrap.get_attribute("role") == "region"
        label_id = wrap.get_attribute("aria-labelledby")
        assert label_id and (page.locator(f"#{label_id}").text_content() or "").strip()
    # Tab from the top of the page reaches the data table's scroll container…
    page.locator("#main").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.table-wrap')"):
            break
    else:
        pytest.fail("Tab never reached a scrolling table")
    # …and the arrow keys scroll it when it is wider than the phone.
    if page.evaluate(
        "() => document.activeElement.scrollWidth > document.activeElement.clientWidth"
    ):
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        # The browser may scroll smoothly: wait for it rather than read at once.
        page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5000)
    assert_accessible(page)


# --- focus after inline edits -------------------------------------------------


def test_plan_item_edit_form_takes_focus_and_gives_it_back_to_the_row(
    page, login, world, plans: Plans
) -> None:  # type: ignore[no-untyped-def]
    item = plans.items[0]
    row = f"#item-{item.pk}"
    login(page, "head")
    page.goto(f"/plans/{plans.library.pk}/")
    edit_link = page.locator(f"{row} .plan-item__links a[href$='/edit/']")

    edit_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{row} form.item-form")).to_be_visible()
    expect(page.locator(f"{row} form.item-form :focus")).to_have_count(1)
    assert active(page)["field"], "the first field of the opened form has the focus"

    page.locator(f"{row} form.item-form a", has_text=re.compile(".")).last.focus()  # Cancel
    page.keyboard.press("Enter")
    expect(page.locator(f"{row} form.item-form")).to_have_count(0)
    # Back in the row, on the link that opened the form.
    expect(page.locator(f"{row} .plan-item__links a[href$='/edit/']")).to_be_focused()

    page.locator(f"{row} .plan-item__links a[href$='/edit/']").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{row} form.item-form")).to_be_visible()
    page.locator(f"{row} form.item-form button[type=submit]").click()
    expect(page.locator(f"{row} form.item-form")).to_have_count(0)
    expect(page.locator(f"{row} .plan-item__links a[href$='/edit/']")).to_be_focused()
    assert_accessible(page)


def test_studio_inline_form_takes_focus_and_gives_it_back(page, login, world) -> None:  # type: ignore[no-untyped-def]
    goal = Goal.objects.create(
        strategy=world.strategy, title_fi="Lukutaito", title_sv="Läskunnighet"
    )
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/edit/")
    page.locator(f"#part-goal-{goal.pk} .editor-controls a").first.focus()
    page.keyboard.press("Enter")
    form = page.locator("#region-goal form.part-form")
    expect(form).to_be_visible()
    expect(form.locator(":focus")).to_have_count(1)
    assert active(page)["field"]
    form.locator("a.button--secondary").focus()  # Cancel
    page.keyboard.press("Enter")
    expect(form).to_have_count(0)
    # Back on the "Edit" link that opened the form.
    expect(page.locator(f"#part-goal-{goal.pk} .editor-controls a").first).to_be_focused()


def test_indicator_value_save_button_gives_focus_back_to_the_cell(
    page, login, world, visitors
) -> None:  # type: ignore[no-untyped-def]
    year = judgement_year(world.strategy)
    cell = f"actual-{world.unit_a.pk}-{year}"
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{visitors.pk}/")
    page.locator(f"#{cell}").fill("1 600")
    page.locator(f"form:has(#{cell}) button[type=submit]").click()
    expect(page.locator(f"#{cell}")).to_have_value("1600")
    expect(page.locator(f"#{cell}")).to_be_focused()


# --- long words on a phone -------------------------------------------------


def test_main_pages_do_not_scroll_sideways_on_a_phone_with_a_40_character_word(
    page, login, world, plans: Plans, visitors
) -> None:  # type: ignore[no-untyped-def]
    Strategy.objects.filter(pk=world.strategy.pk).update(
        title_fi=LONG_WORD, title_sv=LONG_WORD, title=LONG_WORD
    )
    Organisation.objects.filter(pk=world.unit_a.pk).update(name_fi=LONG_WORD, name=LONG_WORD)
    goal = GoalFactory(strategy=world.strategy, title=LONG_WORD)
    ActionFactory(strategy=world.strategy, title=LONG_WORD, goal=goal)
    Indicator.objects.filter(pk=visitors.pk).update(name_fi=LONG_WORD, name=LONG_WORD)
    plans.items[0].action.__class__.objects.filter(pk=plans.items[0].action_id).update(
        title_fi=LONG_WORD
    )
    slug = world.strategy.slug
    page.set_viewport_size(PHONE)
    login(page, "owner")
    for path in (
        "/",
        f"/strategies/{slug}/",
        f"/strategies/{slug}/plans/",
        f"/plans/{plans.library.pk}/",
        f"/strategies/{slug}/indicators/",
        f"/strategies/{slug}/indicators/{visitors.pk}/",
        f"/strategies/{slug}/edit/",
        "/accessibility/",
    ):
        response = page.goto(path)
        assert response is not None and response.ok, path
        expect(page.locator("h1")).to_be_visible()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide on a {widths[1]} px phone"


# --- the accessibility statement's pages ---------------------------------


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_statement_and_feedback_form_pass_axe_and_fit_a_phone(page, language: str) -> None:  # type: ignore[no-untyped-def]
    from tests.accessibility.test_feedback import forget_feedback_counts

    forget_feedback_counts()
    page.goto("/accessibility/")
    switch_language(page, language)
    assert_accessible(page)
    # An empty message: the htmx answer shows the error and focuses the field.
    page.locator("form.feedback-form button[type=submit]").click()
    expect(page.locator("#id_message[aria-invalid='true']")).to_be_visible()
    expect(page.locator("#id_message")).to_be_focused()
    assert_accessible(page)
    page.locator("#id_message").fill("Kaavion värit ovat liian vaaleat.")
    page.locator("form.feedback-form button[type=submit]").click()
    expect(page.locator("#feedback-area .message--success")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.goto("/accessibility/")
    no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_superuser_pages_pass_axe_and_fit_a_phone(page, login, language: str) -> None:  # type: ignore[no-untyped-def]
    from accessibility.models import Feedback

    UserFactory(username="root", is_superuser=True, is_staff=True)
    Feedback.objects.create(
        message=f"{LONG_WORD} ei toimi näppäimistöllä", page="/strategies/x/", language="fi"
    )
    login(page, "root")
    page.goto("/accessibility/edit/")
    switch_language(page, language)
    assert_accessible(page)
    page.goto("/accessibility/feedback/")
    assert_accessible(page)
    page.locator("table.feedback-list button[type=submit]").first.click()
    expect(page.locator("table.feedback-list")).to_contain_text(re.compile(r"\d"))
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    for path in ("/accessibility/edit/", "/accessibility/feedback/"):
        page.goto(path)
        no_sideways_scroll(page)
        assert_accessible(page)
