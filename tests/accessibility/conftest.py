"""The accessibility statement is seeded by a data migration. A transactional
test elsewhere empties the database after itself, so a test here that runs
after one (as happens when the suite is spread over processes) finds no
statement; these tests seed it again first, as the migration does."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

seed = importlib.import_module("accessibility.migrations.0002_seed_statement").seed


@pytest.fixture(autouse=True)
def _statement_seeded(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not apps.get_model("accessibility", "Statement").objects.exists():
        seed(apps, None)
