"""The report order form proposes last year by the Suunta clock, kept inside
the strategy's period (2022–2027 in the world)."""

from __future__ import annotations

import datetime

import pytest

from reports.forms import ReportOrderForm
from strategy import clock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "year"),
    [(datetime.date(2028, 1, 2), 2027), (datetime.date(2026, 6, 15), 2025), (datetime.date(2030, 3, 1), 2027)],
)
def test_order_form_proposes_last_year_by_the_clock(world, today: datetime.date, year: int) -> None:
    with clock.fixed(today):
        form = ReportOrderForm(strategy=world.strategy, user=world.owner)
    assert form.fields["year"].initial == year
