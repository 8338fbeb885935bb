"""Per-unit target levels: the heat map shows each unit's gap to its own
target (else the sector's), and only the strategy owner edits unit targets."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maturity.models import AssessmentRound, TargetLevel
from maturity.services import heatmap_build
from tests.factories import PASSWORD, OrganisationFactory, StrategyFactory

from .conftest import agree, build_matrix, open_round

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _url(world, matrix, dimension=None) -> str:
    dimension = dimension or matrix.dimensions[0]
    return reverse("maturity-unit-target-set", args=[world.strategy.slug, matrix.model.pk, dimension.pk])


def _heatmap_with_targets(world, matrix):
    round_ = open_round(matrix, [world.unit_a, world.unit_b], year=2024, status=AssessmentRound.Status.CLOSED)
    agree(round_, world.unit_a, [2, 2, 2, 2, 2])
    agree(round_, world.unit_b, [2, 2, 2, 2, 2])
    # The sector aims at Hyvä (3); the library alone at Optimaalinen (4).
    TargetLevel.objects.create(dimension=matrix.dimensions[0], year=2027, level=matrix.levels[2])
    TargetLevel.objects.create(dimension=matrix.dimensions[0], unit=world.unit_a, year=2026, level=matrix.levels[3])


def test_unit_row_shows_gap_to_its_own_target_and_falls_back_to_the_sector(world, matrix):
    _heatmap_with_targets(world, matrix)

    data = heatmap_build(model=matrix.model, year=2024)

    library, museum = data["rows"][0]["cells"][0], data["rows"][1]["cells"][0]
    assert library["target_scope"] == "unit"
    assert library["gap"] == 2
    assert library["target_year"] == 2026
    assert library["target_text"] == "Unit target: Optimaalinen by 2026 (gap 2)"
    assert museum["target_scope"] == "sector"
    assert museum["gap"] == 1
    assert museum["target_text"] == "Target: Hyvä by 2027 (gap 1)"
    # A row without any target says nothing about one.
    assert data["rows"][0]["cells"][1]["target_text"] == ""
    assert data["rows"][0]["cells"][1]["target_scope"] is None
    # The sector row keeps the sector's target.
    assert data["sector"]["cells"][0]["target_scope"] == "sector"


def test_heatmap_page_shows_unit_gaps_as_text(world, matrix):
    _heatmap_with_targets(world, matrix)

    page = _client("owner").get(reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": 2024}).content.decode()

    assert "Unit target: Optimaalinen by 2026 (gap 2)" in page
    assert "Target: Hyvä by 2027 (gap 1)" in page


def test_reached_target_is_said_in_words(world, matrix):
    round_ = open_round(matrix, [world.unit_a], year=2024, status=AssessmentRound.Status.CLOSED)
    agree(round_, world.unit_a, [4, 1, 1, 1, 1])
    TargetLevel.objects.create(dimension=matrix.dimensions[0], unit=world.unit_a, year=2026, level=matrix.levels[2])

    cell = heatmap_build(model=matrix.model, year=2024)["rows"][0]["cells"][0]

    assert cell["target_text"] == "Unit target: Hyvä by 2026 (reached)"


def test_owner_sets_and_removes_a_unit_target(world, matrix):
    client = _client("owner")
    edit = reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, matrix.dimensions[0].pk])
    page = client.get(edit).content.decode()
    assert f'action="{_url(world, matrix)}"' in page

    response = client.post(
        _url(world, matrix),
        {"unit_target-unit": world.unit_b.pk, "unit_target-target_level": matrix.levels[2].pk, "unit_target-target_year": 2026},
    )

    assert response.status_code == 302
    target = TargetLevel.objects.get(unit=world.unit_b)
    assert (target.dimension, target.year, target.level) == (matrix.dimensions[0], 2026, matrix.levels[2])
    assert "Museo" in client.get(edit).content.decode()

    # Changing it updates the same row; "no target" removes it.
    client.post(
        _url(world, matrix),
        {"unit_target-unit": world.unit_b.pk, "unit_target-target_level": matrix.levels[3].pk, "unit_target-target_year": 2026},
    )
    assert TargetLevel.objects.get(unit=world.unit_b).level == matrix.levels[3]
    client.post(_url(world, matrix), {"unit_target-unit": world.unit_b.pk, "unit_target-target_level": "", "unit_target-target_year": 2026})
    assert not TargetLevel.objects.filter(unit=world.unit_b).exists()


@pytest.mark.parametrize("username", ["head", "staff", "otherhead", "viewer"])
def test_only_the_owner_edits_unit_targets(world, matrix, username):
    existing = TargetLevel.objects.create(dimension=matrix.dimensions[0], unit=world.unit_a, year=2026, level=matrix.levels[1])
    client = _client(username)

    response = client.post(
        _url(world, matrix),
        {"unit_target-unit": world.unit_a.pk, "unit_target-target_level": matrix.levels[3].pk, "unit_target-target_year": 2026},
    )
    get = client.get(reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, matrix.dimensions[0].pk]))

    assert response.status_code in (403, 404)
    assert get.status_code in (403, 404)
    existing.refresh_from_db()
    assert existing.level == matrix.levels[1]
    assert TargetLevel.objects.count() == 1


def test_anonymous_is_sent_to_login_and_nothing_changes(world, matrix):
    response = Client().post(
        _url(world, matrix),
        {"unit_target-unit": world.unit_a.pk, "unit_target-target_level": matrix.levels[3].pk, "unit_target-target_year": 2026},
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not TargetLevel.objects.exists()


def test_dimension_of_another_model_is_404(world, matrix):
    other = build_matrix(StrategyFactory(organisation=world.sector, slug="toinen"), name="Toinen")
    response = _client("owner").post(
        _url(world, matrix, dimension=other.dimensions[0]),
        {"unit_target-unit": world.unit_a.pk, "unit_target-target_level": matrix.levels[3].pk, "unit_target-target_year": 2026},
    )
    assert response.status_code == 404
    assert not TargetLevel.objects.exists()


def _bad_post(world, matrix, **changes):
    data = {"unit_target-unit": world.unit_a.pk, "unit_target-target_level": matrix.levels[3].pk, "unit_target-target_year": 2026}
    data.update({f"unit_target-{key}": value for key, value in changes.items()})
    return _client("owner").post(_url(world, matrix), data)


def test_level_of_another_model_is_refused(world, matrix):
    other = build_matrix(StrategyFactory(organisation=world.sector, slug="toinen"), name="Toinen")

    response = _bad_post(world, matrix, target_level=other.levels[3].pk)

    assert response.status_code == 422
    assert "That level is not part of this matrix." in response.content.decode()
    assert not TargetLevel.objects.exists()


def test_unit_outside_the_strategy_organisation_is_refused(world, matrix):
    outsider = OrganisationFactory(name="Naapurikunnan kirjasto", parent=world.city)

    response = _bad_post(world, matrix, unit=outsider.pk)

    assert response.status_code == 422
    assert "not one of this strategy&#x27;s units" in response.content.decode()
    assert not TargetLevel.objects.exists()


def test_year_outside_the_period_is_refused(world, matrix):
    response = _bad_post(world, matrix, target_year=2031)

    assert response.status_code == 422
    assert "Choose a year within the strategy period" in response.content.decode()
    assert not TargetLevel.objects.exists()


def test_refused_unit_target_changes_an_existing_one_not_at_all(world, matrix):
    existing = TargetLevel.objects.create(dimension=matrix.dimensions[0], unit=world.unit_a, year=2026, level=matrix.levels[1])

    response = _bad_post(world, matrix, target_level="99999")

    assert response.status_code == 422
    existing.refresh_from_db()
    assert existing.level == matrix.levels[1]
    assert TargetLevel.objects.count() == 1


def test_unit_targets_add_no_queries_to_the_heat_map(world, matrix):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = [OrganisationFactory(name=f"Yksikkö {i:03}", parent=world.service_area) for i in range(30)]
    round_ = open_round(matrix, units, year=2024, status=AssessmentRound.Status.CLOSED)
    for unit in units:
        agree(round_, unit, [1, 2, 3, 4, 1])
    TargetLevel.objects.create(dimension=matrix.dimensions[0], year=2027, level=matrix.levels[2])
    client = _client("owner")
    url = reverse("maturity-heatmap", args=[world.strategy.slug])

    def count() -> tuple[int, str]:
        caches["template_fragments"].clear()  # the heat map is built, not read back
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"year": 2024}).content.decode()
        return len(queries), page

    count()  # a session's first request settles its second factor and activity once
    few, _ = count()
    TargetLevel.objects.bulk_create(
        TargetLevel(dimension=dimension, unit=unit, year=2026, level=matrix.levels[3])
        for unit in units
        for dimension in matrix.dimensions
    )
    many, page = count()

    assert many == few
    assert page.count("Unit target: Optimaalinen by 2026") == 30 * len(matrix.dimensions)
