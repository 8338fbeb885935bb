"""Text shown in another language than the page's is marked with its language,
and the report order form tells what a report in the chosen language will
contain: in Chromium, with axe, in Finnish and in Swedish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import GoalFactory
from tests.reports.conftest import report_world  # noqa: F401  (fixture)

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_swedish_overview_marks_finnish_text_and_passes_axe(report_world, page, login) -> None:  # noqa: F811
    GoalFactory(strategy=report_world.strategy, title_fi="Hyvinvointi", title_sv="", title_en="")
    login(page, "owner")
    page.goto(f"/strategies/{report_world.strategy.slug}/")
    switch_language(page, "sv")
    expect(page.locator(".goal__title [lang='fi']", has_text="Hyvinvointi")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_choosing_the_report_language_updates_the_note_in_place(
    report_world,  # noqa: F811
    page,
    login,
    language: str,
) -> None:
    login(page, "owner")
    page.goto(f"/strategies/{report_world.strategy.slug}/reports/")
    if language != "fi":
        switch_language(page, language)
    url = page.url
    note = page.locator("#language-note")
    other = "en" if language != "en" else "fi"
    page.locator("form.report-order select[name='language']").select_option(other)
    # htmx swapped the note alone: it now offers the other languages, and
    # the page was not loaded again.
    expect(note.locator(f".language-note__others a[href$='?language={language}']")).to_be_visible()
    expect(note.locator(f".language-note__others a[href$='?language={other}']")).to_have_count(0)
    assert page.url == url
    assert_accessible(page)
