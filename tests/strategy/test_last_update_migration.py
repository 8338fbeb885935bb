"""The migration that gives plan items their creation time: an existing item
takes the time of its first history record, else its modification time, so
that items nobody updated do not all look added on the day of the upgrade."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("strategy", "0008_public_and_translator")]
AFTER = [("strategy", "0009_planitem_created_at")]

pytestmark = pytest.mark.django_db(transaction=True)

UTC = datetime.UTC


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> Any:
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_items_take_their_first_history_time(executor: MigrationExecutor) -> None:
    old = migrate(executor, BEFORE)
    Organisation = old.get_model("strategy", "Organisation")
    sector = Organisation.objects.create(name="Ala", name_fi="Ala", slug="ala", kind="sector")
    Organisation.objects.filter(pk=sector.pk).update(path=f"{sector.pk}/")
    strategy = old.get_model("strategy", "Strategy").objects.create(
        organisation_id=sector.pk, title="S", title_fi="S", slug="s", period_start=2022, period_end=2027
    )
    plan = old.get_model("strategy", "AnnualPlan").objects.create(strategy_id=strategy.pk, unit_id=sector.pk, year=2026)
    Action = old.get_model("strategy", "Action")
    PlanItem = old.get_model("strategy", "PlanItem")
    with_history, without = (
        PlanItem.objects.create(plan_id=plan.pk, action_id=Action.objects.create(strategy_id=strategy.pk, title=t, title_fi=t).pk)
        for t in ("A", "B")
    )
    first, later = datetime.datetime(2026, 1, 15, 9, tzinfo=UTC), datetime.datetime(2026, 3, 1, 9, tzinfo=UTC)
    touched = datetime.datetime(2026, 11, 1, 9, tzinfo=UTC)
    PlanItem.objects.update(updated_at=touched)
    History = old.get_model("strategy", "HistoricalPlanItem")
    for when, kind in ((later, "~"), (first, "+")):
        History.objects.create(
            id=with_history.pk, plan_id=plan.pk, action_id=with_history.action_id, history_date=when,
            history_type=kind, updated_at=touched, version=1, progress=0, order=0, status="not_started",
        )

    new = migrate(executor, AFTER)

    items = new.get_model("strategy", "PlanItem").objects
    assert items.get(pk=with_history.pk).created_at == first
    assert items.get(pk=without.pk).created_at == touched
