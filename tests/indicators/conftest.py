"""Indicators of the test world: the library's visitor count, broken down by unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Indicator, Measurement, Target


@pytest.fixture
def visitors(world: object) -> Indicator:
    """Visitors per year; the library (unit_a) and the museum (unit_b) report their own."""
    indicator = Indicator.objects.create(
        strategy=world.strategy,  # type: ignore[attr-defined]
        name_fi="Kävijämäärä",
        name_sv="Besökarantal",
        unit_of_measure="käyntiä",
        direction="increase",
        baseline_year=2021,
        baseline_value=Decimal(1000),
    )
    Target.objects.create(indicator=indicator, year=2025, unit=world.unit_a, value=Decimal(1500))  # type: ignore[attr-defined]
    Measurement.objects.create(indicator=indicator, year=2022, unit=world.unit_a, value=Decimal(1100))  # type: ignore[attr-defined]
    Measurement.objects.create(indicator=indicator, year=2023, unit=world.unit_b, value=Decimal(700))  # type: ignore[attr-defined]
    return indicator


@pytest.fixture
def satisfaction(world: object) -> Indicator:
    """A sector-wide percentage with totals only."""
    indicator = Indicator.objects.create(
        strategy=world.strategy,  # type: ignore[attr-defined]
        name_fi="Asiakastyytyväisyys",
        is_percentage=True,
        decimals=1,
        direction="increase",
        baseline_year=2021,
        baseline_value=Decimal(70),
    )
    Target.objects.create(indicator=indicator, year=2027, value=Decimal(90))
    Measurement.objects.create(indicator=indicator, year=2022, value=Decimal("72.5"))
    return indicator


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    """The personas' passwords are hashed with a fast hasher: these tests are about indicators."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


STAGES = [
    ("Ei aloitettu", "Inte påbörjad", "Not started"),
    ("Käynnissä", "Pågår", "In progress"),
    ("Valmis", "Klar", "Completed"),
]


@pytest.fixture
def stage(world: object) -> Indicator:
    """A qualitative indicator with three levels in three languages; the library
    was in progress (1) in 2024 and aims at completed (2) in 2026."""
    from indicators.models import IndicatorKind, ScaleLevel

    indicator = Indicator.objects.create(
        strategy=world.strategy,  # type: ignore[attr-defined]
        name_fi="Peruskorjauksen vaihe",
        kind=IndicatorKind.QUALITATIVE,
        direction="increase",
    )
    for ordinal, (fi, sv, en) in enumerate(STAGES):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_sv=sv, label_en=en)
    Measurement.objects.create(indicator=indicator, year=2024, unit=world.unit_a, value=Decimal(1))  # type: ignore[attr-defined]
    Target.objects.create(indicator=indicator, year=2026, unit=world.unit_a, value=Decimal(2))  # type: ignore[attr-defined]
    return indicator
