"""The owner builds the matrix: names per language, rows tied to sections,
criteria per cell, actions per row; and copies a model from another strategy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maturity.models import Criterion, Dimension, Level, MaturityModel, TargetLevel
from maturity.services import maturity_model_copy
from strategy.models import Strategy
from tests.factories import PASSWORD, ActionFactory, SectionFactory

from .conftest import build_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(world) -> Client:
    client = Client()
    client.login(username="owner", password=PASSWORD)
    return client


def test_owner_creates_a_model_and_names_levels_in_three_languages(world, owner_client):
    slug = world.strategy.slug
    response = owner_client.post(reverse("maturity-model-create", args=[slug]), {"name_fi": "Kypsyys", "name_sv": "Mognad"})
    model = MaturityModel.objects.get()
    assert response.url == reverse("maturity-model-edit", args=[slug, model.pk])

    data = {
        "name_fi": "Kypsyys", "name_sv": "Mognad", "name_en": "Maturity",
        "levels-TOTAL_FORMS": 3, "levels-INITIAL_FORMS": 0, "levels-MIN_NUM_FORMS": 2, "levels-MAX_NUM_FORMS": 1000,
        "levels-0-ordinal": 1, "levels-0-name_fi": "Alkava", "levels-0-name_sv": "Inleds", "levels-0-name_en": "Beginning",
        "levels-1-ordinal": 2, "levels-1-name_fi": "Kehittyvä", "levels-1-name_sv": "Utvecklas", "levels-1-name_en": "Developing",
        "levels-2-ordinal": "", "levels-2-name_fi": "", "levels-2-name_sv": "", "levels-2-name_en": "",
    }
    owner_client.post(reverse("maturity-model-edit", args=[slug, model.pk]), data)
    assert list(Level.objects.values_list("ordinal", "name_fi", "name_sv", "name_en")) == [
        (1, "Alkava", "Inleds", "Beginning"),
        (2, "Kehittyvä", "Utvecklas", "Developing"),
    ]


def test_level_needs_a_finnish_name(world, owner_client, matrix):
    data = {
        "name_fi": "Kypsyys",
        "levels-TOTAL_FORMS": 4, "levels-INITIAL_FORMS": 4, "levels-MIN_NUM_FORMS": 2, "levels-MAX_NUM_FORMS": 1000,
    }
    for n, level in enumerate(matrix.levels):
        data |= {f"levels-{n}-id": level.pk, f"levels-{n}-model": matrix.model.pk, f"levels-{n}-ordinal": level.ordinal,
                 f"levels-{n}-name_fi": level.name_fi, f"levels-{n}-name_sv": "", f"levels-{n}-name_en": ""}
    data["levels-1-name_fi"] = ""
    response = owner_client.post(reverse("maturity-model-edit", args=[world.strategy.slug, matrix.model.pk]), data)
    assert "Give the level a name in Finnish." in response.content.decode()
    assert Level.objects.get(pk=matrix.levels[1].pk).name_fi == "Kehittyvä"


def test_owner_edits_a_row_its_criteria_and_actions(world, owner_client, matrix):
    dimension = matrix.dimensions[0]
    section = SectionFactory(strategy=world.strategy, number="9", title="Uusi luku")
    action = ActionFactory(strategy=world.strategy, title="Pop-up kirjasto")
    data = {
        "number": "1", "title_fi": "Visio", "title_sv": "Vision", "title_en": "Vision", "section": section.pk,
        "order": 1, "actions": [action.pk], "target_level": "", "target_year": 2027,
    }
    for level in matrix.levels:
        data |= {f"c_{level.pk}_fi": f"fi {level.ordinal}", f"c_{level.pk}_sv": f"sv {level.ordinal}", f"c_{level.pk}_en": ""}

    owner_client.post(reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, dimension.pk]), data)

    dimension.refresh_from_db()
    assert (dimension.title_sv, dimension.section) == ("Vision", section)
    assert list(dimension.actions.all()) == [action]
    assert Criterion.objects.get(dimension=dimension, level=matrix.levels[2]).text_sv == "sv 3"
    assert not TargetLevel.objects.exists()  # no target chosen

    data |= {"target_level": matrix.levels[3].pk, "target_year": 2027}
    owner_client.post(reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, dimension.pk]), data)
    target = TargetLevel.objects.get()
    assert (target.dimension, target.unit, target.year, target.level) == (dimension, None, 2027, matrix.levels[3])

    data |= {"target_year": 2031}
    response = owner_client.post(reverse("maturity-dimension-edit", args=[world.strategy.slug, matrix.model.pk, dimension.pk]), data)
    assert "Choose a year within the strategy period, 2022–2027." in response.content.decode()
    assert TargetLevel.objects.get().year == 2027


def test_unit_result_shows_actions_from_level_to_level(world, matrix, round_):
    from .conftest import agree

    action = ActionFactory(strategy=world.strategy, number="3.1.2", title="Kirjastoauto kiertää kylissä")
    action.responsible_units.add(world.unit_a)
    matrix.dimensions[0].actions.add(action)
    agree(round_, world.unit_a, [2, 2, 2, 2, 2])
    client = Client()
    client.login(username="staff", password=PASSWORD)

    page = client.get(reverse("maturity-unit-result", args=[world.strategy.slug, round_.pk, world.unit_a.slug])).content.decode()

    assert "To get from Kehittyvä to Hyvä, these actions:" in page
    assert "3.1.2 Kirjastoauto kiertää kylissä" in page
    assert "this unit is responsible" in page


def test_copy_model_from_another_strategy(world, owner_client):
    source_strategy = Strategy.objects.create(
        organisation=world.city, title="Kaupunkistrategia", slug="kaupunki", period_start=2022, period_end=2030
    )
    source = build_matrix(source_strategy, name="Lähde")
    SectionFactory(strategy=world.strategy, number="1", title="Visio")

    response = owner_client.post(reverse("maturity-model-copy", args=[world.strategy.slug]), {"source": source.model.pk})

    copy = MaturityModel.objects.get(strategy=world.strategy)
    assert response.url == reverse("maturity-model-edit", args=[world.strategy.slug, copy.pk])
    assert (copy.name_fi, copy.name_sv) == ("Lähde", "Mognadsmodell")
    assert list(copy.levels.values_list("ordinal", "name_sv")) == [(1, "Inleds"), (2, "Utvecklas"), (3, "Bra"), (4, "Optimalt")]
    assert copy.dimensions.count() == 5
    assert Criterion.objects.filter(dimension__model=copy).count() == 20
    assert all(c.level.model_id == copy.pk for c in Criterion.objects.filter(dimension__model=copy).select_related("level"))
    first = Dimension.objects.get(model=copy, number="1")
    assert first.section.strategy == world.strategy and first.section.number == "1"
    assert MaturityModel.objects.filter(strategy=source_strategy).count() == 1  # the source is untouched


def test_copy_refuses_a_model_the_user_cannot_see(world, owner_client):
    from strategy.models import Organisation

    elsewhere = Organisation.objects.create(name="Muu kaupunki", slug="muu", kind=Organisation.Kind.CITY)
    hidden = Strategy.objects.create(
        organisation=elsewhere, title="Luonnos", slug="luonnos", period_start=2022, period_end=2030, status=Strategy.Status.DRAFT
    )
    source = build_matrix(hidden, name="Salainen")
    owner_client.post(reverse("maturity-model-copy", args=[world.strategy.slug]), {"source": source.model.pk})
    assert not MaturityModel.objects.filter(strategy=world.strategy).exists()


def test_copy_service_is_usable_directly(world):
    source = build_matrix(world.strategy)
    other = Strategy.objects.create(organisation=world.sector, title="Toinen", slug="toinen", period_start=2022, period_end=2027)
    copy = maturity_model_copy(source=source.model, strategy=other)
    assert copy.levels.count() == 4 and copy.dimensions.filter(section__isnull=True).count() == 5
