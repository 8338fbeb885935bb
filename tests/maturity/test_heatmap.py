"""The heat map's data: agreed levels, medians, the sector row, change and gap."""

from __future__ import annotations

import pytest

from maturity.models import AssessmentRound, Level, TargetLevel
from maturity.services import heatmap_build

from .conftest import agree, answer, colleague, open_round


@pytest.mark.django_db
def test_heatmap_shows_agreed_levels_change_target_and_gap(world, matrix):
    old = open_round(matrix, [world.unit_a, world.unit_b], year=2023, status=AssessmentRound.Status.CLOSED)
    new = open_round(matrix, [world.unit_a, world.unit_b], year=2024, status=AssessmentRound.Status.CLOSED)
    agree(old, world.unit_a, [1, 2, 2, 1, 1])
    agree(new, world.unit_a, [2, 2, 3, 1, 1])
    agree(new, world.unit_b, [4, 2, 1, 1, 1])
    TargetLevel.objects.create(dimension=matrix.dimensions[0], year=2027, level=matrix.levels[3])

    data = heatmap_build(model=matrix.model, year=2024)

    assert [row["unit_name"] for row in data["rows"]] == ["Kirjasto", "Museo"]
    library = data["rows"][0]["cells"]
    assert library[0]["label"] == "Kehittyvä"
    assert library[0]["direction"] == "up"
    assert library[0]["change"] == 1
    assert library[1]["direction"] == "same"
    assert library[0]["gap"] == 2
    assert data["dimensions"][0]["target"]["name"] == "Optimaalinen"
    museum = data["rows"][1]["cells"]
    assert museum[0]["direction"] is None and museum[0]["change_text"] == "no comparison"
    sector = data["sector"]["cells"]
    assert sector[0]["value"] == 3.0  # median of 2 and 4
    assert sector[2]["value"] == 2.0  # median of 3 and 1
    assert sector[0]["label"] == "Hyvä"


@pytest.mark.django_db
def test_heatmap_uses_median_only_from_enough_respondents(world, matrix):
    round_ = open_round(matrix, [world.unit_a, world.unit_b], year=2024)
    answer(round_, world.unit_a, world.staff, [4, 4, 4, 4, 4])
    answer(round_, world.unit_a, colleague(world.unit_a, "second"), [4, 4, 4, 4, 4])
    answer(round_, world.unit_b, world.otherhead, [1, 1, 1, 1, 1])
    for n in range(3):
        answer(round_, world.unit_b, colleague(world.unit_b, f"museo{n}"), [2, 2, 3, 3, 3])

    data = heatmap_build(model=matrix.model, year=2024)

    assert [cell["value"] for cell in data["rows"][0]["cells"]] == [None] * 5  # 2 answers: hidden
    assert data["rows"][1]["cells"][0]["value"] == 2.0
    assert data["rows"][1]["cells"][0]["source"] == "median"


@pytest.mark.django_db
def test_heatmap_page_and_htmx_fragment(world, matrix):
    from django.test import Client
    from django.urls import reverse

    from tests.factories import PASSWORD

    for year in (2023, 2024):
        agree(open_round(matrix, [world.unit_a], year=year, status=AssessmentRound.Status.CLOSED), world.unit_a, [2, 2, 2, 2, 2])
    client = Client()
    client.login(username="viewer", password=PASSWORD)
    url = reverse("maturity-heatmap", args=[world.strategy.slug])

    page = client.get(url, {"year": 2023}).content.decode()
    assert "<html" in page and "units by strategy section, 2023" in page and "Kehittyvä" in page

    fragment = client.get(url, {"year": 2024}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="heatmap">')
    assert "same as last year" in fragment


def test_swedish_heatmap_marks_finnish_level_names_and_row_titles(world, matrix):
    """WCAG 3.1.2: a level name or row title with no Swedish text is shown in
    Finnish and marked as Finnish; a translated one is not marked."""
    from django.test import Client
    from django.urls import reverse

    Level.objects.filter(pk=matrix.levels[0].pk).update(name_sv="")
    agree(open_round(matrix, [world.unit_a], year=2024, status=AssessmentRound.Status.CLOSED), world.unit_a, [2, 2, 2, 2, 2])
    client = Client()
    client.force_login(world.viewer)
    page = client.get(
        reverse("maturity-heatmap", args=[world.strategy.slug]), {"year": 2024}, HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()

    first = matrix.levels[0]
    assert f'<span lang="fi">{first.name_fi}</span>' in page
    assert f"</span> {matrix.levels[1].name_sv}</li>" in page  # translated: no mark
    dimension = matrix.dimensions[0]  # rows have Finnish titles only
    assert f'{dimension.number} <span lang="fi">{dimension.title_fi}</span></th>' in page
