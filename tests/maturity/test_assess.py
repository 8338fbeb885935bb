"""Staff fill in the matrix: draft, submit, edit until the round closes."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from maturity.models import AssessmentRound, Rating, SelfAssessment
from strategy import clock
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.login(username="staff", password=PASSWORD)
    return client


def url(world, round_) -> str:
    return reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])


def data(round_, ordinals, action, assessment=""):
    levels = {level.ordinal: level.pk for level in round_.model.levels.all()}
    result = {"action": action, "assessment": assessment}
    for dimension, ordinal in zip(round_.model.dimensions.all(), ordinals, strict=False):
        result[f"level_{dimension.pk}"] = levels[ordinal]
        result[f"why_{dimension.pk}"] = f"Perustelu {dimension.number}"
    return result


def test_form_is_a_grid_of_fieldsets_with_criteria_and_radios(world, round_, staff_client):
    page = staff_client.get(url(world, round_)).content.decode()
    assert page.count("<fieldset") == 5 and page.count("<legend>") == 5
    assert page.count('type="radio"') == 20
    assert "Visio 2027: kriteeri tasolle Kehittyvä" in page
    assert page.count("<textarea") == 5


def test_swedish_matrix_marks_criteria_shown_in_finnish(world, round_, staff_client):
    """WCAG 3.1.2: a criterion with no Swedish text is shown in Finnish, marked as Finnish."""
    from maturity.models import Criterion

    translated = Criterion.objects.filter(dimension__model=round_.model).order_by("pk").first()
    Criterion.objects.filter(pk=translated.pk).update(text_sv="Kriterium på svenska")
    page = staff_client.get(url(world, round_), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<span class="matrix__criteria"><span lang="fi">Visio 2027: kriteeri tasolle Kehittyvä</span></span>' in page
    assert '<span class="matrix__criteria">Kriterium på svenska</span>' in page


def test_draft_then_submit_then_edit(world, round_, staff_client):
    staff_client.post(url(world, round_), data(round_, [1, 2], "save"))
    assessment = SelfAssessment.objects.get()
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert Rating.objects.count() == 2

    response = staff_client.post(url(world, round_), data(round_, [1, 2], "submit", assessment.pk))
    assert response.status_code == 200
    assert "Choose a level for this row before you submit." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.DRAFT

    staff_client.post(url(world, round_), data(round_, [1, 2, 3, 4, 2], "submit", assessment.pk))
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED and assessment.submitted_at
    assert sorted(Rating.objects.values_list("level__ordinal", flat=True)) == [1, 2, 2, 3, 4]

    staff_client.post(url(world, round_), data(round_, [4, 4, 4, 4, 4], "submit", assessment.pk))
    assert set(Rating.objects.values_list("level__ordinal", flat=True)) == {4}
    assert SelfAssessment.objects.count() == 1


def test_no_edits_after_the_round_closes(world, round_, staff_client):
    staff_client.post(url(world, round_), data(round_, [1, 1, 1, 1, 1], "submit"))
    assessment = SelfAssessment.objects.get()
    round_.status = AssessmentRound.Status.CLOSED
    round_.save()

    response = staff_client.post(url(world, round_), data(round_, [4, 4, 4, 4, 4], "submit", assessment.pk), follow=True)

    page = response.content.decode()
    assert "This round does not take answers now: nothing was saved." in page
    assert "This round is closed: answers can no longer be changed." in page
    assert set(Rating.objects.values_list("level__ordinal", flat=True)) == {1}


def test_no_answers_after_the_closing_day(world, round_, staff_client):
    round_.opens = clock.today() - datetime.timedelta(days=30)
    round_.closes = clock.today() - datetime.timedelta(days=1)
    round_.save()
    staff_client.post(url(world, round_), data(round_, [1, 1, 1, 1, 1], "submit"))
    assert not SelfAssessment.objects.exists()


def test_round_that_opens_later_says_when(world, round_, staff_client):
    round_.opens = clock.today() + datetime.timedelta(days=3)
    round_.closes = clock.today() + datetime.timedelta(days=30)
    round_.save()
    page = staff_client.get(url(world, round_)).content.decode()
    assert "This round opens on" in page
    staff_client.post(url(world, round_), data(round_, [1, 1, 1, 1, 1], "submit"))
    assert not SelfAssessment.objects.exists()
