"""A module whose tests all run in savepoints shares one personas' world
(``tests.conftest.world_of_module``); its tests get copies of it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import module_commits

pytestmark = pytest.mark.django_db


def test_a_module_of_savepoint_tests_is_built_once_and_each_test_gets_a_copy(
    request: pytest.FixtureRequest, world_of_module: Any, world: Any
) -> None:
    assert not module_commits(request)
    assert world_of_module is not None
    assert world.strategy.pk == world_of_module.strategy.pk
    assert world.strategy is not world_of_module.strategy
