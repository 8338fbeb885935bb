"""Half levels in the maturity heat map are written the Finnish and Swedish
way (0,5), on the page and in the PDF report's snapshot alike."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from maturity.models import AssessmentRound
from maturity.services import heatmap_build
from reports.services import report_snapshot_build
from tests.maturity.conftest import agree, matrix, open_round  # noqa: F401 (matrix is a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_level_change(world, matrix):  # noqa: F811
    """The sector's median climbs from 2 to 2,5: unit B goes from 2 to 3."""
    for year, b_level in ((2023, 2), (2024, 3)):
        round_ = open_round(
            matrix, [world.unit_a, world.unit_b], year=year, status=AssessmentRound.Status.CLOSED
        )
        agree(round_, world.unit_a, [2, 2, 2, 2, 2])
        agree(round_, world.unit_b, [b_level, 2, 2, 2, 2])
    return matrix


@pytest.mark.parametrize(("language", "expected"), [("fi", "0,5"), ("sv", "0,5"), ("en", "0.5")])
def test_heatmap_change_uses_the_languages_decimal_separator(
    half_level_change, language: str, expected: str
) -> None:
    with translation.override(language):
        data = heatmap_build(model=half_level_change.model, year=2024)
        text = str(data["sector"]["cells"][0]["change_text"])
    assert data["sector"]["cells"][0]["change"] == 0.5
    assert expected in text


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_heatmap_page_shows_half_levels_with_a_decimal_comma(
    client, world, half_level_change, language
) -> None:
    client.force_login(world.viewer)
    html = client.get(
        reverse("maturity-heatmap", args=[world.strategy.slug]),
        {"year": 2024},
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    assert "0,5" in html
    assert "0.5" not in html


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_report_heatmap_uses_the_same_localised_numbers(world, half_level_change, language) -> None:
    snapshot = report_snapshot_build(
        strategy=world.strategy, year=2024, to_year=None, unit=None, language=language
    )
    frozen = json.dumps(snapshot, ensure_ascii=False)
    words = re.findall(r'"change_text": "([^"]*)"', frozen)
    assert any("0,5" in text for text in words)
    assert not any("0.5" in text for text in words)
