"""The maturity data stamp changes with every change to a maturity table,
whatever writes it, and the heat map cached by it is never stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maturity.models import AgreedLevel, AssessmentRound, Criterion, Level, Rating, TargetLevel
from strategy.data_stamps import stamped_tables
from strategy.fragments import data_stamp, stamp_parts
from strategy.models import DataStamp, Membership, Role
from tests.factories import signed_in

from .conftest import agree, answer, open_round

pytestmark = pytest.mark.django_db


def stamp() -> str:
    return stamp_parts([], data_stamp("maturity"))[-1]


def maturity_tables() -> set[str]:
    """Every table of the maturity app but the histories, and its links."""
    tables = set()
    for model in apps.get_app_config("maturity").get_models():
        if model._meta.db_table.startswith("maturity_historical"):
            continue
        tables.add(model._meta.db_table)
        tables |= {many.remote_field.through._meta.db_table for many in model._meta.many_to_many}
    return tables


def test_every_maturity_table_has_a_data_stamp_trigger() -> None:
    # A new maturity table, or a migration that rebuilt one and lost its
    # triggers, would leave changes that the cached heat map never sees.
    assert maturity_tables() - stamped_tables(connection) == set()


def _agree(world: Any, matrix: Any) -> None:
    agree(open_round(matrix, [world.unit_a], year=2024), world.unit_a, [2, 2, 2, 2, 2])


def _bulk_update_levels(world: Any, matrix: Any) -> None:
    Level.objects.filter(model=matrix.model).update(description="Uusi kuvaus")


def _delete_criteria(world: Any, matrix: Any) -> None:
    Criterion.objects.filter(dimension__model=matrix.model).delete()


def _target(world: Any, matrix: Any) -> None:
    TargetLevel.objects.create(dimension=matrix.dimensions[0], year=2027, level=matrix.levels[3])


def _round_units(world: Any, matrix: Any) -> None:
    round_ = AssessmentRound.objects.get(model=matrix.model)
    round_.units.remove(world.unit_b)


@pytest.mark.parametrize("change", [_agree, _bulk_update_levels, _delete_criteria, _target, _round_units])
def test_any_change_to_the_maturity_tables_renews_the_stamp(world, matrix, change: Callable[[Any, Any], None]) -> None:
    open_round(matrix, [world.unit_a, world.unit_b], year=2023)
    before = stamp()
    change(world, matrix)
    assert stamp() != before


def test_a_lost_stamp_row_comes_back_with_the_next_change(world, matrix) -> None:
    # A database emptied by TRUNCATE (as a test flush or a restore does) has no row.
    DataStamp.objects.all().delete()
    assert stamp() == "None"
    _target(world, matrix)
    assert len(stamp()) == 32


def _heatmap(client: Client, world: Any, year: int) -> str:
    response = client.get(reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_heat_map_shows_a_change_made_by_a_bulk_update_at_once(world, matrix) -> None:
    round_ = open_round(matrix, [world.unit_a], year=2024, status=AssessmentRound.Status.CLOSED)
    agree(round_, world.unit_a, [1, 1, 1, 1, 1])
    client = signed_in(world.owner)
    assert '<td class="heat heat--1">' in _heatmap(client, world, 2024)
    with CaptureQueriesContext(connection) as cached_read:
        assert '<td class="heat heat--1">' in _heatmap(client, world, 2024)

    # No signal, no save(): only the trigger knows.
    AgreedLevel.objects.filter(round=round_).update(level=matrix.levels[3])

    with CaptureQueriesContext(connection) as fresh_read:
        page = _heatmap(client, world, 2024)
    assert '<td class="heat heat--4">' in page and '<td class="heat heat--1">' not in page
    assert len(cached_read) < len(fresh_read)


def test_answers_count_once_submitted_even_when_the_heat_map_was_cached(world, matrix) -> None:
    round_ = open_round(matrix, [world.unit_a], year=2024, min_respondents=1)
    draft = answer(round_, world.unit_a, world.staff, [4, 4, 4, 4, 4], submit=False)
    client = signed_in(world.owner)
    assert '<td class="heat heat--4">' not in _heatmap(client, world, 2024)

    draft.status = draft.Status.SUBMITTED
    draft.save(update_fields=["status"])

    assert '<td class="heat heat--4">' in _heatmap(client, world, 2024)
    assert Rating.objects.filter(assessment=draft).count() == 5


def test_the_cached_heat_map_links_only_the_units_each_reader_may_open(world, matrix) -> None:
    round_ = open_round(matrix, [world.unit_a, world.unit_b], year=2024, status=AssessmentRound.Status.CLOSED)
    agree(round_, world.unit_a, [2, 2, 2, 2, 2])
    agree(round_, world.unit_b, [3, 3, 3, 3, 3])
    history = reverse("maturity-unit-history", args=[world.strategy.slug, world.unit_b.slug])
    owner, head = signed_in(world.owner), signed_in(world.head)  # the head of unit A reads unit A's history only

    assert history in _heatmap(owner, world, 2024)
    assert history not in _heatmap(head, world, 2024)

    # Made head of unit B too: the person's reach changed, and so does the table.
    Membership.objects.create(user=world.head, organisation=world.unit_b, role=Role.HEAD)
    head.force_login(world.head)
    assert history in _heatmap(head, world, 2024)
    # Another reader with the head's old reach still gets the table without the link.
    other = signed_in(world.staff)
    assert history not in _heatmap(other, world, 2024)
