"""The migration that gives visions one home: a strategy's legacy vision text
becomes a ``Vision`` row in every language, and the field is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migration_fixtures import MigratedDatabase, database_at

BEFORE = [("strategy", "0006_strategy_versions")]
AFTER = [("strategy", "0007_strategy_vision_into_visions")]

pytestmark = pytest.mark.django_db

# Migrated to BEFORE once; each test migrates a copy of its own back and forth.
database_before = database_at(BEFORE)


@pytest.fixture
def executor(database_before: MigratedDatabase) -> Iterator[MigrationExecutor]:
    """A migration executor on a fresh copy of the database at BEFORE."""
    with database_before.copy_as_default():
        yield MigrationExecutor(connection)


def migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` and return the models of that state."""
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def strategy(apps: Any, slug: str, **texts: str | None) -> Any:
    Organisation = apps.get_model("strategy", "Organisation")
    Strategy = apps.get_model("strategy", "Strategy")
    organisation = Organisation.objects.create(name=slug, name_fi=slug, slug=slug, kind="sector")
    Organisation.objects.filter(pk=organisation.pk).update(path=f"{organisation.pk}/")
    return Strategy.objects.create(
        organisation_id=organisation.pk, title=slug, title_fi=slug, slug=slug, period_start=2022, period_end=2027, **texts
    )


def test_legacy_vision_becomes_a_vision_row_in_every_language(executor: MigrationExecutor) -> None:
    old = migrate(executor, BEFORE)
    with_vision = strategy(
        old, "pietarsaari", vision="Rohkea ja luova", vision_fi="Rohkea ja luova", vision_sv="Modig och kreativ", vision_en=None
    )
    without = strategy(old, "lahti", vision="", vision_fi=None, vision_sv=None, vision_en=None)
    # An owner who already copied the text into the visions gets no second copy.
    copied = strategy(old, "heinola", vision="Taide kuuluu kaikille", vision_fi="Taide kuuluu kaikille")
    old.get_model("strategy", "Vision").objects.create(
        strategy_id=copied.pk, text="Taide kuuluu kaikille", text_fi="Taide kuuluu kaikille", order=3
    )

    new = migrate(executor, AFTER)

    Vision = new.get_model("strategy", "Vision")
    [vision] = Vision.objects.filter(strategy_id=with_vision.pk)
    assert (vision.text_fi, vision.text_sv, vision.text_en) == ("Rohkea ja luova", "Modig och kreativ", None)
    assert (vision.order, vision.label) == (0, "")
    assert not Vision.objects.filter(strategy_id=without.pk).exists()
    assert Vision.objects.filter(strategy_id=copied.pk).count() == 1
    fields = {field.name for field in new.get_model("strategy", "Strategy")._meta.get_fields()}
    assert not {"vision", "vision_fi", "vision_sv", "vision_en"} & fields
    history = {field.name for field in new.get_model("strategy", "HistoricalStrategy")._meta.get_fields()}
    assert "vision_fi" not in history


def test_migrating_back_restores_the_legacy_field(executor: MigrationExecutor) -> None:
    old = migrate(executor, BEFORE)
    created = strategy(old, "lpr2033", vision="Eloisa kaupunki", vision_fi="Eloisa kaupunki", vision_sv="Livlig stad")
    migrate(executor, AFTER)

    back = migrate(executor, BEFORE)

    restored = back.get_model("strategy", "Strategy").objects.get(pk=created.pk)
    assert (restored.vision_fi, restored.vision_sv) == ("Eloisa kaupunki", "Livlig stad")
    # Forwards again: still one vision.
    again = migrate(executor, AFTER)
    assert again.get_model("strategy", "Vision").objects.filter(strategy_id=created.pk).count() == 1
