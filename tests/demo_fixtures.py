"""The demo data loaded once for a whole test module instead of once per test.

Loading the demo costs seconds; most tests only read it. A module makes its
fixture with ``demo_once_per_module()`` and uses it in every test::

    demo = demo_once_per_module(today=datetime.date(2026, 11, 23))
    pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

The demo is loaded in a transaction that stays open for the module and is
rolled back at its end. pytest-django's ``db`` fixture runs each test in a
savepoint inside it, so what a test changes is undone before the next one
starts, on SQLite and on PostgreSQL alike. Tests that need real commits (a
live server, a Celery worker, ``transaction=True``) cannot run inside it and
belong in a module that loads the demo per test.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

from demo.base import Loader
from demo.loader import demo_load

# What tests/conftest.py's autouse fixtures give every test, which a
# module-scoped fixture runs before: the demo written here must be the one a
# test would write itself (the personas' password hash, the active language).
TEST_SETTINGS: dict[str, Any] = {
    "LANGUAGE_CODE": "en",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


def demo_once_per_module(*, today: datetime.date | None = None) -> Callable[..., Iterator[Loader]]:
    """A module-scoped fixture that loads the demo (on ``today``, by default
    the clock's date as ``load_demo`` does) and yields the loader's result."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Loader]:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                with override_settings(**TEST_SETTINGS):
                    loader = demo_load(today=today)
            except BaseException:
                outer.__exit__(*sys.exc_info())
                raise
        try:
            yield loader
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return demo
