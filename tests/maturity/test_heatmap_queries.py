"""The heat map's query count does not grow with the number of units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maturity.models import AgreedLevel, AssessmentRound
from tests.factories import PASSWORD, OrganisationFactory

from .conftest import open_round

pytestmark = pytest.mark.django_db


def _build(world, matrix, n_units: int) -> None:
    units = [OrganisationFactory(name=f"Yksikkö {i:03}", parent=world.service_area) for i in range(n_units)]
    rounds = [
        open_round(matrix, units, year=year, status=AssessmentRound.Status.CLOSED) for year in (2023, 2024)
    ]
    AgreedLevel.objects.bulk_create(
        AgreedLevel(round=round_, unit=unit, dimension=dimension, level=matrix.levels[(i + j + round_.year) % 4])
        for round_ in rounds
        for i, unit in enumerate(units)
        for j, dimension in enumerate(matrix.dimensions)
    )


def _count(world) -> tuple[int, str]:
    client = Client()
    client.login(username="owner", password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": 2024})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_heatmap_query_count_same_for_10_and_120_units(world, matrix, django_assert_max_num_queries):
    _build(world, matrix, 10)

    small, page = _count(world)
    assert page.count('<th scope="row"><a') == 10

    more = [OrganisationFactory(name=f"Lisä {i:03}", parent=world.service_area) for i in range(110)]
    round_2024 = AssessmentRound.objects.get(year=2024)
    round_2024.units.add(*more)
    AgreedLevel.objects.bulk_create(
        AgreedLevel(round=round_2024, unit=unit, dimension=dimension, level=matrix.levels[1])
        for unit in more
        for dimension in matrix.dimensions
    )
    large, page = _count(world)
    assert page.count('<th scope="row"><a') == 120

    assert large == small
    client = Client()
    client.force_login(world.owner)
    client.get(reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": 2024})  # warm the session
    with django_assert_max_num_queries(small):
        client.get(reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": 2024})
    print(f"heat map queries: {small} for 10 units, {large} for 120 units")
