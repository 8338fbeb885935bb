"""The demo data's 2023 → 2024 change shows correctly for the library."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maturity.models import AgreedLevel, MaturityModel
from maturity.services import heatmap_build
from strategy.models import Organisation, Strategy

pytestmark = pytest.mark.django_db

SLUG = "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--force", verbosity=0)
    strategy = Strategy.objects.get(slug=SLUG)
    return strategy, MaturityModel.objects.get(strategy=strategy), Organisation.objects.get(slug="pietarsaari-kirjastopalvelut")


def _agreed(model, unit, year) -> dict[int, int]:
    return dict(
        AgreedLevel.objects.filter(round__model=model, round__year=year, unit=unit).values_list(
            "dimension_id", "level__ordinal"
        )
    )


def test_library_change_2023_to_2024_from_demo_data(demo):
    _strategy, model, library = demo
    before, after = _agreed(model, library, 2023), _agreed(model, library, 2024)
    assert before and before != after  # the demo promises a change on at least one row

    data = heatmap_build(model=model, year=2024)

    row = next(row for row in data["rows"] if row["unit_slug"] == library.slug)
    for cell in row["cells"]:
        expected = after[cell["dimension_id"]] - before[cell["dimension_id"]]
        assert cell["source"] == "agreed"
        assert cell["value"] == after[cell["dimension_id"]]
        assert cell["previous"] == before[cell["dimension_id"]]
        assert cell["change"] == expected
        assert cell["direction"] == ("up" if expected > 0 else "down" if expected < 0 else "same")
    assert any(cell["direction"] == "up" for cell in row["cells"])


def test_heatmap_page_shows_the_library_change_in_words(demo):
    strategy, model, library = demo
    before, after = _agreed(model, library, 2023), _agreed(model, library, 2024)
    client = Client()
    client.login(username="owner", password="suunta-demo")

    page = client.get(reverse("maturity-heatmap", args=[strategy.slug]), {"year": 2024}).content.decode()

    row = page[page.index(library.name) :]
    row = row[: row.index("</tr>")]
    ups = sum(1 for dimension_id in after if after[dimension_id] > before[dimension_id])
    sames = sum(1 for dimension_id in after if after[dimension_id] == before[dimension_id])
    assert row.count("up 1 from last year") == ups
    assert row.count("same as last year") == sames
    assert row.count("↑") == ups
