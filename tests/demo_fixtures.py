"""Data built once for a whole test module instead of once per test: the demo
(and, through ``tests.conftest.world_of_module``, the personas' world, which
every module whose tests do not commit gets this way).

Loading the demo costs seconds; most tests only read it. A module makes its
fixture with ``demo_once_per_module()`` and uses it in every test::

    demo = demo_once_per_module(today=datetime.date(2026, 11, 23))
    pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

The data is written in a transaction that stays open for the module and is
rolled back at its end (``kept_until_the_end``). pytest-django's ``db`` fixture runs each test in a
savepoint inside it, so what a test changes is undone before the next one
starts, on SQLite and on PostgreSQL alike. Tests that need real commits (a
live server, a Celery worker, ``transaction=True``) cannot run inside it and
belong in a module that builds its data per test.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

from demo.base import Loader
from demo.loader import demo_load

# What tests/conftest.py's autouse fixtures give every test, which a
# module-scoped fixture runs before: what it writes must be what a test would
# write itself (the personas' password hashes, the active language).
TEST_SETTINGS: dict[str, Any] = {
    "LANGUAGE_CODE": "en",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@contextmanager
def kept_until_the_end[T](django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Run ``build`` in a transaction that stays open for the block (a
    module-scoped fixture's life) and is rolled back at its end; tests in the
    block nest their savepoints inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(**TEST_SETTINGS):
                built = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def demo_once_per_module(*, today: datetime.date | None = None) -> Callable[..., Iterator[Loader]]:
    """A module-scoped fixture that loads the demo (on ``today``, by default
    the clock's date as ``load_demo`` does) and yields the loader's result."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Loader]:
        with kept_until_the_end(django_db_blocker, lambda: demo_load(today=today)) as loader:
            yield loader

    return demo
