"""Indicators in Chromium: a unit head records the library's visitors and sees
the status and the chart change in place; the pages pass axe."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Indicator, Measurement, Target
from indicators.services import judgement_year

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library_visitors(world) -> Indicator:
    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Kirjaston kävijämäärä",
        unit_of_measure="käyntiä",
        direction="increase",
        baseline_year=2021,
        baseline_value=Decimal(1000),
    )
    for year in world.strategy.years:
        Target.objects.create(indicator=indicator, year=year, unit=world.unit_a, value=Decimal(1500))
    Measurement.objects.create(indicator=indicator, year=2022, unit=world.unit_a, value=Decimal(900))
    return indicator


def test_head_enters_library_visitors_and_sees_badge_and_chart_update(page, login, world, library_visitors) -> None:
    year = judgement_year(world.strategy)
    login(page, "head")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{library_visitors.pk}/")
    status = page.locator("#indicator-status")
    assert "badge--off_track" in (status.get_attribute("class") or "")
    chart_title = page.locator(f"#chart-{world.unit_a.pk} svg > title")
    assert chart_title.count() == 1
    old_desc = page.locator(f"#chart-{world.unit_a.pk} svg > desc").first.text_content()
    page.evaluate("() => { window.__stillHere = true; }")

    field = page.locator(f"#actual-{world.unit_a.pk}-{year}")
    field.fill("1 600")
    field.press("Enter")

    page.wait_for_function("() => document.querySelector('#indicator-status').classList.contains('badge--achieved')")
    assert page.evaluate("() => window.__stillHere === true"), "the page reloaded instead of swapping the fragment"
    new_desc = page.locator(f"#chart-{world.unit_a.pk} svg > desc").first.text_content()
    assert new_desc != old_desc and str(year) in (new_desc or "")
    assert page.locator(f"#actual-{world.unit_a.pk}-{year}").input_value() == "1600"
    assert str(year) in (page.locator("#indicator-announce").text_content() or "")  # said aloud by screen readers
    assert page.locator("#indicator-announce").count() == 1
    assert Measurement.objects.get(indicator=library_visitors, unit=world.unit_a, year=year).value == Decimal(1600)


def test_bad_number_shows_an_error_next_to_the_cell(page, login, world, library_visitors) -> None:
    login(page, "head")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{library_visitors.pk}/")
    field = page.locator(f"#actual-{world.unit_a.pk}-2023")
    field.fill("paljon")
    field.press("Enter")
    page.wait_for_selector(f"#actual-{world.unit_a.pk}-2023-error")
    assert page.locator(f"#actual-{world.unit_a.pk}-2023").get_attribute("aria-invalid") == "true"
    assert not Measurement.objects.filter(indicator=library_visitors, year=2023).exists()


def test_indicator_page_has_svg_with_title_and_data_table_and_passes_axe(page, login, world, library_visitors) -> None:
    login(page, "head")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/{library_visitors.pk}/")
    svg = page.locator("figure.indicator-chart svg[role='img']").first
    assert svg.locator(":scope > title").count() == 1 and svg.locator(":scope > desc").count() == 1
    assert page.locator("table.indicator-data caption").count() == 1
    assert page.locator("table.indicator-data th[scope='row']").count() == 6
    assert_accessible(page)


def test_indicator_list_passes_axe(page, login, world, library_visitors) -> None:
    login(page, "viewer")
    page.goto(f"/strategies/{world.strategy.slug}/indicators/")
    assert page.locator(".badge").count() >= 1
    assert_accessible(page)
