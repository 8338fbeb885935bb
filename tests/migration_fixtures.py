"""A database of its own for each migration test, made from one migrated once per module.

Migrating the test database back to an old migration and forward again
costs the whole project: to unapply a few migrations Django walks the state
of every app's migrations, and the teardown applies them all again. A test
of one migration needs only its app's migrations up to the one before, with
their dependencies. ``database_at(targets)`` is a module-scoped fixture that
migrates a new, empty database to ``targets`` once; ``copy_as_default()``
gives a test a copy of it as the default database (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL) and throws the copy away
afterwards. The test database itself is never migrated, so the tests need no
``transaction=True`` and no restoring teardown.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor


def _wrapper(name: str) -> BaseDatabaseWrapper:
    """A connection like the default one, to the database ``name``."""
    default = connections[DEFAULT_DB_ALIAS]
    return default.__class__({**default.settings_dict, "NAME": name}, alias=DEFAULT_DB_ALIAS)


@contextmanager
def _as_default(wrapper: BaseDatabaseWrapper) -> Iterator[None]:
    """Make ``wrapper`` the default connection, which migrations' code and
    historical models use, and restore the test database's afterwards."""
    original = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections[DEFAULT_DB_ALIAS] = original


class MigratedDatabase:
    """A database migrated to some targets, and its copies for single tests."""

    def __init__(self, base_name: str) -> None:
        self.vendor = connections[DEFAULT_DB_ALIAS].vendor
        self.name = base_name
        self._copies = itertools.count(1)

    def _create(self, name: str, *, template: str | None = None) -> None:
        if self.vendor == "sqlite":
            if template is not None:
                shutil.copyfile(template, name)
            return  # SQLite creates an empty file on connecting.
        default = connections[DEFAULT_DB_ALIAS]
        quote = default.ops.quote_name
        with default._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(
                f"CREATE DATABASE {quote(name)}" + (f" TEMPLATE {quote(template)}" if template else "")
            )

    def _drop(self, name: str) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
            return
        default = connections[DEFAULT_DB_ALIAS]
        with default._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {default.ops.quote_name(name)}")

    def migrate(self, targets: list[tuple[str, str]]) -> None:
        self._create(self.name)
        with _as_default(_wrapper(self.name)):
            MigrationExecutor(connections[DEFAULT_DB_ALIAS]).migrate(targets)

    @contextmanager
    def copy_as_default(self) -> Iterator[None]:
        """Within the block, the default database is a fresh copy of this one."""
        copy = f"{self.name}_{next(self._copies)}"
        self._create(copy, template=self.name)
        try:
            with _as_default(_wrapper(copy)):
                yield
        finally:
            self._drop(copy)

    def drop(self) -> None:
        self._drop(self.name)


def database_at(targets: list[tuple[str, str]]) -> Callable[..., Iterator[MigratedDatabase]]:
    """A module-scoped fixture: a new database migrated to ``targets`` (and
    what they depend on, nothing else), dropped at the end of the module."""

    @pytest.fixture(scope="module")
    def fixture(
        django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[MigratedDatabase]:
        with django_db_blocker.unblock():
            test_name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
            if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
                base = str(tmp_path_factory.mktemp("migrations") / "before.sqlite3")
            else:
                base = f"{test_name}_migrations"
            database = MigratedDatabase(base)
            database.migrate(targets)
        try:
            yield database
        finally:
            with django_db_blocker.unblock():
                database.drop()

    return fixture
