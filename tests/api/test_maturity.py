"""Maturity results through the API: only above the privacy threshold."""

from __future__ import annotations

import pytest

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_heatmap_shows_a_units_median_only_with_enough_answers(api_world, as_persona, persona):
    model = api_world.matrix.model
    response = as_persona(persona).get(f"/api/v1/maturity-models/{model.pk}/heatmap/?year=2025")
    assert response.status_code == 200
    rows = {row["unit_id"]: row for row in response.json()["rows"]}
    library, museum = rows[api_world.world.unit_a.pk], rows[api_world.world.unit_b.pk]
    assert {cell["value"] for cell in library["cells"]} == {
        2.0
    }  # the median of the ordinals 2, 3 and 2
    assert {cell["source"] for cell in library["cells"]} == {"median"}
    assert {cell["value"] for cell in museum["cells"]} == {None}  # one answer: hidden


def test_heatmap_never_carries_individual_answers(api_world, as_persona):
    model = api_world.matrix.model
    text = as_persona("owner").get(f"/api/v1/maturity-models/{model.pk}/heatmap/").content.decode()
    assert "perustelu" not in text and "librarian" not in text and "otherhead" not in text


def test_heatmap_of_a_year_without_a_round_is_404(api_world, as_persona):
    model = api_world.matrix.model
    assert (
        as_persona("owner")
        .get(f"/api/v1/maturity-models/{model.pk}/heatmap/?year=2019")
        .status_code
        == 404
    )


def test_maturity_models_list_levels_dimensions_and_years(api_world, as_persona):
    [model] = as_persona("viewer").get("/api/v1/maturity-models/").json()["results"]
    assert len(model["levels"]) == 4 and len(model["dimensions"]) == 5 and model["years"] == [2025]


def test_maturity_model_of_an_unseen_draft_strategy_is_404(api_world, as_persona):
    from tests.maturity.conftest import build_matrix

    hidden = build_matrix(api_world.draft_strategy, name="Luonnosmalli")
    assert (
        as_persona("otherhead").get(f"/api/v1/maturity-models/{hidden.model.pk}/").status_code
        == 404
    )
    assert (
        as_persona("otherhead")
        .get(f"/api/v1/maturity-models/{hidden.model.pk}/heatmap/")
        .status_code
        == 404
    )
