"""``Model.history`` reuses one manager class instead of building one per read
(each save of a model with history reads it)."""

from __future__ import annotations

import pytest

from strategy.models import Action, PlanItem

pytestmark = pytest.mark.django_db


def test_history_manager_class_is_built_once_per_model() -> None:
    assert type(PlanItem.history) is type(PlanItem.history)
    assert type(Action.history) is type(Action.history)
    assert type(PlanItem.history) is not type(Action.history)


def test_history_still_reads_the_instance_and_the_model(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import ActionFactory

    action = ActionFactory(strategy=world.strategy, title="Lukutaito")
    action.title = "Lukutaito ja kirjasto"
    action.save()
    assert [row.title for row in action.history.all()] == ["Lukutaito ja kirjasto", "Lukutaito"]
    assert Action.history.filter(id=action.pk).count() == 2
    assert action.history.instance == action
