"""Every public page passes axe (WCAG 2.1 A/AA) in Finnish and in Swedish, on
a desktop and on a 390 px phone, for a visitor who is not signed in; the
language switch works without signing in, and the indicator filter's htmx
state passes too."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator, Measurement, Target
from maturity.models import AgreedLevel, AssessmentRound, Dimension, Level, MaturityModel
from reports.models import Report
from strategy.models import AnnualPlan, PlanItem, Strategy, StrategyVersion
from strategy.versions import strategy_snapshot
from tests.factories import PlanItemFactory, every_part

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def public_world(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The world's strategy with every kind of part, an indicator with values,
    a closed maturity round, an approved plan and a published report; approved and published."""
    settings.MEDIA_ROOT = tmp_path
    strategy = world.strategy
    every_part(strategy)
    indicator = Indicator.objects.create(
        strategy=strategy,
        name_fi="Kirjaston käynnit",
        name_sv="Biblioteksbesök",
        name_en="Library visits",
        unit_of_measure="käyntiä",
        baseline_year=2022,
        baseline_value=Decimal(1000),
    )
    for year, value in ((2022, 1000), (2023, 1100), (2024, 1250)):
        Measurement.objects.create(indicator=indicator, year=year, value=Decimal(value))
    Target.objects.create(indicator=indicator, year=2027, value=Decimal(1500))
    model = MaturityModel.objects.create(
        strategy=strategy, name_fi="Kypsyysmalli", name_sv="Mognadsmodell"
    )
    levels = [
        Level.objects.create(model=model, ordinal=n, name_fi=f"Taso {n}", name_sv=f"Nivå {n}")
        for n in (1, 2, 3)
    ]
    dimension = Dimension.objects.create(
        model=model, number="1", title_fi="Lukeminen", title_sv="Läsning"
    )
    round_ = AssessmentRound.objects.create(
        model=model,
        year=2024,
        status=AssessmentRound.Status.CLOSED,
        opens=datetime.date(2024, 1, 1),
        closes=datetime.date(2024, 2, 1),
    )
    round_.units.add(world.unit_a, world.unit_b)
    AgreedLevel.objects.create(
        round=round_, unit=world.unit_a, dimension=dimension, level=levels[2]
    )
    AgreedLevel.objects.create(
        round=round_, unit=world.unit_b, dimension=dimension, level=levels[1]
    )
    year = min(max(datetime.date.today().year, strategy.period_start), strategy.period_end)
    plan = AnnualPlan.objects.create(
        strategy=strategy, unit=world.unit_a, year=year, status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(
        plan=plan, action=strategy.actions.first(), status=PlanItem.Status.ON_TRACK, progress=60
    )
    pdf = b"%PDF-1.7 report"
    report = Report.objects.create(
        strategy=strategy, year=2024, language="fi", status=Report.Status.DONE, published=True
    )
    report.file.save("report.pdf", ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.save()
    StrategyVersion.objects.create(
        strategy=strategy,
        number=1,
        approved_on=datetime.date(2022, 6, 14),
        decision_body={"fi": "Kaupunginvaltuusto", "sv": "Stadsfullmäktige"},
        decision_reference="§ 57",
        snapshot=strategy_snapshot(strategy),
    )
    Strategy.objects.filter(pk=strategy.pk).update(published=True)
    return world


def _urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    org, slug = world.sector.slug, world.strategy.slug
    indicator = Indicator.objects.get(strategy=world.strategy)
    return [
        reverse("home"),
        reverse("public-index"),
        reverse("public-organisation", args=[org]),
        reverse("public-strategy", args=[org, slug]),
        reverse("public-indicator-list", args=[org, slug]),
        reverse("public-indicator", args=[org, slug, indicator.pk]),
        reverse("public-maturity", args=[org, slug]),
    ]


def _check(page, url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{url} is {widths[0]} px wide on a {widths[1]} px screen"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone(
    page, public_world, language
) -> None:  # type: ignore[no-untyped-def]
    page.goto(reverse("public-index"))
    # The language switch of the public pages: a link, no signing in.
    page.locator(f".public-languages a[hreflang='{language}']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    urls = _urls(public_world)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for url in urls:
            _check(page, url, language)
    # The indicator list's htmx filter swaps the table in place.
    page.set_viewport_size(DESKTOP)
    page.goto(urls[4])
    expect(page.locator("#indicator-table table")).to_be_visible()
    filters = page.locator(".indicator-filter a")
    if filters.count() > 1:
        filters.nth(1).click()
        expect(filters.nth(1)).to_have_attribute("aria-current", "true")
        assert_accessible(page)
    # The strategy page names the approved version's texts in the chosen language.
    page.goto(urls[3])
    expect(page.locator("main")).to_contain_text(f"Visio 0 {language}")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_owner_publishing_switches_pass_axe(page, login, public_world, language) -> None:  # type: ignore[no-untyped-def]
    """The studio settings with the publish switch, a refused publication of a
    draft, and the report page's publish section, as the owner."""
    login(page, "owner")
    page.goto(reverse("strategy-settings", args=[public_world.strategy.slug]))
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("input[name='published']")).to_be_checked()
    assert_accessible(page)
    report = Report.objects.get(strategy=public_world.strategy)
    page.goto(reverse("report-status", args=[public_world.strategy.slug, report.pk]))
    expect(page.locator("#report-public")).to_be_visible()
    assert_accessible(page)
    # A draft cannot be published: the form says why.
    Strategy.objects.filter(pk=public_world.strategy.pk).update(
        status=Strategy.Status.DRAFT, published=False
    )
    page.goto(reverse("strategy-settings", args=[public_world.strategy.slug]))
    page.locator("input[name='published']").check()
    with page.expect_navigation():
        page.locator("form.part-form [type='submit']").click()
    expect(page.locator("#id_published_error, .field--published .errorlist")).to_be_visible()
    assert_accessible(page)
