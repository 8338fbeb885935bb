"""Suunta's clock: the one ``today()`` that pages, services, the demo and the
tests read, and the one rule for a strategy's "current year".

The date can be fixed in two ways:

- ``SUUNTA_TODAY=2028-01-02`` in the environment (read at every call, so a
  worker started by a test sees the same date as the test);
- ``fixed(date)`` as a context manager, or ``set_today(date)``/``set_today(None)``,
  inside one process (the tests' ``clock`` fixture uses it).

``now()`` keeps the time of day and moves the date to ``today()``, so that
timestamps written under a fixed date sort with it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from strategy.models import Strategy

_fixed: datetime.date | None = None


def set_today(date: datetime.date | None) -> None:
    """Fix this process's date (``None`` lets the calendar run again)."""
    global _fixed
    _fixed = date


@contextmanager
def fixed(date: datetime.date) -> Iterator[datetime.date]:
    """Run a block as if it were ``date``."""
    previous = _fixed
    set_today(date)
    try:
        yield date
    finally:
        set_today(previous)


def _env_today() -> datetime.date | None:
    value = os.environ.get("SUUNTA_TODAY", "").strip()
    return datetime.date.fromisoformat(value) if value else None


def today() -> datetime.date:
    """Today's date where Suunta runs, unless a test or the demo fixed it."""
    return _fixed or _env_today() or timezone.localdate()


def now() -> datetime.datetime:
    """The current moment, on ``today()``'s date (aware, in the current time zone)."""
    moment = timezone.localtime()
    day = today()
    if moment.date() == day:
        return moment
    return moment.replace(year=day.year, month=day.month, day=day.day)


def current_year(strategy: Strategy | None = None) -> int:
    """This year by ``today()``, kept inside the strategy's period when one is given."""
    year = today().year
    if strategy is not None:
        year = min(max(year, strategy.period_start), strategy.period_end)
    return year
