"""Indicators in the edit mode and a qualitative indicator's page in Chromium:
the owner adds a qualitative indicator with a ready-made scale without a page
reload, a unit head chooses a level in the grid, and every state passes axe
in Finnish and in Swedish."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVELS = [("Ei aloitettu", "Inte påbörjad"), ("Käynnissä", "Pågår"), ("Valmis", "Klar")]


def choose_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.fixture
def renovation(world) -> Indicator:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Kirjaston peruskorjaus",
        name_sv="Bibliotekets renovering",
        kind=IndicatorKind.QUALITATIVE,
        baseline_year=2021,
        baseline_value=Decimal(0),
    )
    for ordinal, (fi, sv) in enumerate(LEVELS):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_sv=sv)
    Target.objects.create(indicator=indicator, year=2026, value=Decimal(2))
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(1))
    return indicator


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_owner_adds_a_qualitative_indicator_in_the_edit_mode(page, login, world, language: str) -> None:  # type: ignore[no-untyped-def]
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/edit/")
    choose_language(page, language)
    page.evaluate("() => { window.__suuntaNoReload = true; }")
    page.locator("#region-indicator > .editor-add a").click()
    form = page.locator("#region-indicator form.part-form")
    expect(form).to_be_visible()
    assert_accessible(page)

    page.locator("#id_indicator_name_fi").fill("Lukudiplomi käytössä")
    page.locator("#id_indicator_kind input[value='qualitative']").check()
    page.locator("#id_indicator_scale").select_option("progress")
    form.locator("button[type=submit]").click()

    expect(page.locator("#region-indicator form.part-form")).to_have_count(0)
    expect(page.locator("#region-indicator")).to_contain_text("Lukudiplomi käytössä")
    assert page.evaluate("() => window.__suuntaNoReload === true")
    indicator = Indicator.objects.get(strategy=world.strategy)
    assert indicator.kind == IndicatorKind.QUALITATIVE and indicator.levels.count() == 3
    # The confirmation of a removal, then the link to the entry grid.
    page.locator(f"#part-indicator-{indicator.pk} .editor-controls a[href$='/delete/']").click()
    expect(page.locator("#region-indicator .confirm-delete")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#part-indicator-{indicator.pk} .editor-controls a[href$='/indicators/{indicator.pk}/']").click()
    expect(page.locator("h1")).to_contain_text("Lukudiplomi käytössä")


@pytest.mark.parametrize(("language", "in_progress", "completed"), [("fi", "Käynnissä", "Valmis"), ("sv", "Pågår", "Klar")])
def test_qualitative_indicator_page_shows_levels_and_passes_axe(  # type: ignore[no-untyped-def]
    page, login, world, renovation, language: str, in_progress: str, completed: str
) -> None:
    login(page, "owner")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{renovation.pk}/")
    choose_language(page, language)
    facts = page.locator(".indicator-facts")
    expect(facts).to_contain_text(f"{in_progress} (2024)")
    expect(facts).to_contain_text(completed)
    expect(page.locator("#indicator-status")).to_have_class("badge badge--on_track")
    assert page.locator("select#actual-total-2025").count() == 1
    assert_accessible(page)

    # A level chosen in the grid is saved in place, and the status follows the rule.
    page.evaluate("() => { window.__suuntaNoReload = true; }")
    cell = page.locator("#actual-total-2025")
    cell.select_option("2")
    cell.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#indicator-status').classList.contains('badge--achieved')")
    assert page.evaluate("() => window.__suuntaNoReload === true")
    assert Measurement.objects.get(indicator=renovation, year=2025).value == 2
    assert_accessible(page)

    page.goto(f"/strategies/{world.strategy.slug}/indicators/")
    expect(page.locator("table.indicator-table")).to_contain_text(completed)
    assert_accessible(page)
