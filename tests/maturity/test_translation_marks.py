"""The maturity model editor keeps translation status true: changing a
Finnish level name or row title marks its Swedish text outdated, and saving a
new Swedish text brings it up to date again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maturity.models import Criterion, Dimension, Level, MaturityModel
from translations.texts import strategy_texts

from .conftest import build_matrix

pytestmark = pytest.mark.django_db


def _status(strategy, model, pk: int, field: str) -> str:
    texts = strategy_texts(strategy, ["sv"])["sv"]
    return next(t.status for t in texts if t.source_def.model is model and t.pk == pk and t.field == field)


def _levels_data(matrix, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name_fi": matrix.model.name_fi, "name_sv": matrix.model.name_sv, "name_en": "",
        "levels-TOTAL_FORMS": len(matrix.levels), "levels-INITIAL_FORMS": len(matrix.levels),
        "levels-MIN_NUM_FORMS": 2, "levels-MAX_NUM_FORMS": 1000,
    }
    for n, level in enumerate(matrix.levels):
        data |= {
            f"levels-{n}-id": level.pk, f"levels-{n}-model": matrix.model.pk, f"levels-{n}-ordinal": level.ordinal,
            f"levels-{n}-name_fi": level.name_fi, f"levels-{n}-name_sv": level.name_sv, f"levels-{n}-name_en": "",
        }
    return data | changes


def test_changing_a_finnish_level_name_marks_its_swedish_name_outdated(world, client):
    matrix = build_matrix(world.strategy)
    level = matrix.levels[1]
    client.force_login(world.owner)
    url = reverse("maturity-model-edit", args=[world.strategy.slug, matrix.model.pk])
    assert _status(world.strategy, Level, level.pk, "name") == "current"

    client.post(url, _levels_data(matrix, **{"levels-1-name_fi": "Kehittyvä ja oppiva"}))

    assert Level.objects.get(pk=level.pk).name_fi == "Kehittyvä ja oppiva"
    assert _status(world.strategy, Level, level.pk, "name") == "outdated"
    assert _status(world.strategy, MaturityModel, matrix.model.pk, "name") == "current"

    client.post(url, _levels_data(
        matrix, **{"levels-1-name_fi": "Kehittyvä ja oppiva", "levels-1-name_sv": "Utvecklas och lär sig"}
    ))
    assert _status(world.strategy, Level, level.pk, "name") == "current"


def test_changing_a_finnish_row_title_and_criterion_marks_their_swedish_texts_outdated(world, client):
    matrix = build_matrix(world.strategy)
    dimension = matrix.dimensions[0]
    Dimension.objects.filter(pk=dimension.pk).update(title_sv="Vision")
    Criterion.objects.filter(dimension=dimension).update(text_sv="kriterium")
    criterion = Criterion.objects.get(dimension=dimension, level=matrix.levels[0])
    client.force_login(world.owner)
    data = {
        "number": "1", "title_fi": "Visio ja arvot", "title_sv": "Vision", "title_en": "",
        "section": dimension.section_id, "order": 1, "target_level": "", "target_year": 2027,
    }
    for level in matrix.levels:
        fi = "uusi kriteeri" if level == matrix.levels[0] else Criterion.objects.get(dimension=dimension, level=level).text_fi
        data |= {f"c_{level.pk}_fi": fi, f"c_{level.pk}_sv": "kriterium", f"c_{level.pk}_en": ""}

    client.post(reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, dimension.pk]), data)

    assert Dimension.objects.get(pk=dimension.pk).title_fi == "Visio ja arvot"
    assert _status(world.strategy, Dimension, dimension.pk, "title") == "outdated"
    assert _status(world.strategy, Criterion, criterion.pk, "text") == "outdated"
    other = Criterion.objects.get(dimension=dimension, level=matrix.levels[1])
    assert _status(world.strategy, Criterion, other.pk, "text") == "current"
