"""A status says what it was judged on: the year and target of the value
judged, and the newer target separately as the next target (issue 12.2)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from indicators.status import Judgement, Status, judge_latest
from strategy import clock
from strategy.models import Strategy
from tests.public.test_public_pages import approve, publish

pytestmark = pytest.mark.django_db

DAY_IN_2026 = datetime.date(2026, 5, 4)


@pytest.fixture
def loans(world) -> Indicator:  # type: ignore[no-untyped-def]
    """The issue's example: 9 977 measured in 2025, targets 9 900 (2025) and 10 400 (2026)."""
    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Lainat",
        name_en="Loans",
        direction="increase",
        baseline_year=2022,
        baseline_value=Decimal(9000),
    )
    Target.objects.create(indicator=indicator, year=2025, value=Decimal(9900))
    Target.objects.create(indicator=indicator, year=2026, value=Decimal(10400))
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(9500))
    Measurement.objects.create(indicator=indicator, year=2025, value=Decimal(9977))
    return indicator


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _badges(html: str) -> list[str]:
    return [_text(badge).strip() for badge in re.findall(r'<span[^>]*class="badge badge--[^"]*">(.*?)</span>', html)]


@pytest.mark.parametrize(
    ("targets", "actuals", "expected"),
    [
        # The example: the 2025 value against the 2025 target; 2026's is the next one.
        (
            {2025: Decimal(9900), 2026: Decimal(10400)},
            {2025: Decimal(9977)},
            Judgement(Status.ACHIEVED, 2025, Decimal(9977), Decimal(9900), Decimal(9000), 2026, Decimal(10400)),
        ),
        # A value of the year judged as of: no next target.
        (
            {2025: Decimal(9900), 2026: Decimal(10400)},
            {2025: Decimal(9977), 2026: Decimal(10000)},
            Judgement(Status.ON_TRACK, 2026, Decimal(10000), Decimal(10400), Decimal(9000)),
        ),
        # A year without its own target is judged on the path (the baseline–target line).
        (
            {2026: Decimal(10400)},
            {2024: Decimal(9500)},
            Judgement(Status.ON_TRACK, 2024, Decimal(9500), Decimal(9700), Decimal(9000), 2026, Decimal(10400)),
        ),
        # No data: nothing was judged, no year, no target.
        ({2026: Decimal(10400)}, {}, Judgement(Status.NO_DATA)),
    ],
)
def test_judge_latest_names_the_year_and_target_and_the_next_target(targets, actuals, expected) -> None:  # type: ignore[no-untyped-def]
    judgement = judge_latest(
        direction="increase",
        year=2026,
        actuals=actuals,
        targets=targets,
        years=range(2022, 2028),
        baseline_year=2022,
        baseline=Decimal(9000),
    )
    assert judgement == expected


def test_judgement_without_a_target_says_it_was_against_the_baseline() -> None:
    judgement = judge_latest(
        direction="increase", year=2026, actuals={2025: Decimal(5)}, targets={}, years=range(2022, 2028),
        baseline_year=2022, baseline=Decimal(4),
    )
    assert judgement.status == Status.ON_TRACK and judgement.against == "baseline" and judgement.target is None


def test_list_badge_names_the_2025_target_and_shows_2026_as_next(world, loans) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.viewer)
    with clock.fixed(DAY_IN_2026):
        html = client.get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    assert _badges(html) == ["Achieved — 2025 target 9,900"]
    row = _text(html.split("Loans", 1)[1].split("</tr>", 1)[0])
    assert "9,977 (2025)" in row and "10,400 next target" in row


def test_list_badge_in_finnish(world, loans) -> None:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": "fi"})
    client.force_login(world.viewer)
    with clock.fixed(DAY_IN_2026):
        html = client.get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    (badge,) = _badges(html)
    assert badge.startswith("Saavutettu") and "2025" in badge and "9 900" in badge


def test_indicator_page_badge_and_next_target(world, loans) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.viewer)
    with clock.fixed(DAY_IN_2026):
        html = client.get(reverse("indicator-detail", args=[world.strategy.slug, loans.pk])).content.decode()
    facts = _text(html.split('class="indicator-facts"', 1)[1].split("</dl>", 1)[0])
    assert "Status as of 2026 Achieved — 2025 target 9,900" in facts
    assert "Next target 2026 10,400" in facts
    # The chart's caption judges the same way.
    assert "Total · Achieved — 2025 target 9,900" in _text(html)


def test_badge_of_a_value_of_the_year_itself_has_no_next_target(world, loans) -> None:  # type: ignore[no-untyped-def]
    Measurement.objects.create(indicator=loans, year=2026, value=Decimal(10500))
    client = Client()
    client.force_login(world.viewer)
    with clock.fixed(DAY_IN_2026):
        html = client.get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    assert _badges(html) == ["Achieved — 2026 target 10,400"]
    assert "next target</span>" not in html


def test_badge_of_an_indicator_kept_per_unit_says_it_is_the_worst_unit(world) -> None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Käynnit", direction="increase")
    for unit, value in ((world.unit_a, 120), (world.unit_b, 10)):
        Target.objects.create(indicator=indicator, year=2025, unit=unit, value=Decimal(100))
        Measurement.objects.create(indicator=indicator, year=2025, unit=unit, value=Decimal(value))
    client = Client()
    client.force_login(world.viewer)
    with clock.fixed(DAY_IN_2026):
        html = client.get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    (badge,) = _badges(html)
    assert badge == "Off track — worst of 2 units"


def test_public_pages_name_the_year_and_target(client, world, loans) -> None:  # type: ignore[no-untyped-def]
    approve(world.strategy)
    publish(world.strategy)
    strategy: Strategy = world.strategy
    args = [strategy.organisation.slug, strategy.slug]
    with clock.fixed(DAY_IN_2026):
        listing = client.get(reverse("public-indicator-list", args=args)).content.decode()
        page = client.get(reverse("public-indicator", args=[*args, loans.pk])).content.decode()
    assert _badges(listing) == ["Achieved — 2025 target 9,900"]
    assert "next target" in _text(listing)
    assert "Achieved — 2025 target 9,900" in _badges(page)
    assert "Next target 10,400 (2026)" in _text(page)
