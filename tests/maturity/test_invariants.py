"""The database refuses a second self-assessment and a level of another model;
the form path turns both into a clear message and changes nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from maturity.models import AgreedLevel, Rating, SelfAssessment
from strategy.models import Strategy
from tests.factories import PASSWORD

from .conftest import answer, build_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_matrix(world):
    other = Strategy.objects.create(
        organisation=world.sector, title="Toinen", slug="toinen", period_start=2022, period_end=2027
    )
    return build_matrix(other, name="Muu malli")


def test_database_refuses_second_self_assessment(world, round_):
    SelfAssessment.objects.create(round=round_, unit=world.unit_a, person=world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(round=round_, unit=world.unit_a, person=world.staff)
    assert SelfAssessment.objects.count() == 1


def test_database_refuses_level_of_another_model(world, round_, other_matrix):
    assessment = SelfAssessment.objects.create(round=round_, unit=world.unit_a, person=world.staff)
    dimension = round_.model.dimensions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, dimension=dimension, level=other_matrix.levels[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedLevel.objects.create(round=round_, unit=world.unit_a, dimension=dimension, level=other_matrix.levels[0])
    assert not Rating.objects.exists() and not AgreedLevel.objects.exists()


def _post_data(round_, ordinals, *, action="submit", assessment=""):
    levels = {level.ordinal: level.pk for level in round_.model.levels.all()}
    data = {"action": action, "assessment": assessment}
    for dimension, ordinal in zip(round_.model.dimensions.all(), ordinals, strict=True):
        data[f"level_{dimension.pk}"] = levels[ordinal]
        data[f"why_{dimension.pk}"] = f"syy {ordinal}"
    return data


def test_form_refuses_level_of_another_model_with_a_message(world, round_, other_matrix):
    client = Client()
    client.login(username="staff", password=PASSWORD)
    url = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    data = _post_data(round_, [1, 2, 3, 4, 1])
    first = round_.model.dimensions.first()
    data[f"level_{first.pk}"] = other_matrix.levels[2].pk

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "That level is not part of this matrix. Choose one of the levels shown." in page
    assert f'aria-describedby="error-{first.pk}"' in page
    assert not SelfAssessment.objects.exists() and not Rating.objects.exists()


def test_agreed_form_refuses_level_of_another_model(world, round_, other_matrix):
    client = Client()
    client.login(username="head", password=PASSWORD)
    url = reverse("maturity-agreed-save", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    first = round_.model.dimensions.first()

    response = client.post(url, {f"agreed_{first.pk}": other_matrix.levels[0].pk})

    assert response.status_code == 422
    assert "That level is not part of this matrix" in response.content.decode()
    assert not AgreedLevel.objects.exists()


def test_second_assessment_from_a_stale_form_is_refused_and_changes_nothing(world, round_):
    """A blank form from another window posts after the first assessment exists."""
    existing = answer(round_, world.unit_a, world.staff, [2, 2, 2, 2, 2], submit=False)
    client = Client()
    client.login(username="staff", password=PASSWORD)
    url = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])

    response = client.post(url, _post_data(round_, [4, 4, 4, 4, 4], assessment=""), follow=True)

    assert "You already have an assessment for this unit in this round" in response.content.decode()
    assert SelfAssessment.objects.count() == 1
    assert set(Rating.objects.values_list("level__ordinal", flat=True)) == {2}
    existing.refresh_from_db()
    assert existing.status == SelfAssessment.Status.DRAFT


def test_service_turns_the_database_refusal_into_already_assessed(world, round_):
    from maturity.services import AlreadyAssessed, self_assessment_save

    answer(round_, world.unit_a, world.staff, [2, 2, 2, 2, 2])
    level = round_.model.levels.last()
    dimension = round_.model.dimensions.first()
    with pytest.raises(AlreadyAssessed):
        self_assessment_save(
            round_=round_, unit=world.unit_a, person=world.staff, answers={dimension.pk: (level, "")}, submit=True
        )
    assert SelfAssessment.objects.count() == 1
    assert Rating.objects.filter(level=level).count() == 0
