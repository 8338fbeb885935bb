"""The self-assessment form is kept in the fragment cache per person by the
maturity data stamp and the day: a person's answers show to them at once,
never to a colleague, and the cached form posts with their own token."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from maturity.models import AssessmentRound, SelfAssessment
from strategy import clock
from tests.factories import csrf_token_in, signed_in

from .conftest import colleague
from .test_assess import data, url

pytestmark = pytest.mark.django_db



def _page(client: Client, world, round_) -> str:
    response = client.get(url(world, round_))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_is_read_from_the_cache(world, round_) -> None:
    staff = signed_in(world.staff, csrf_checks=True)
    _page(staff, world, round_)
    with CaptureQueriesContext(connection) as queries:
        page = _page(staff, world, round_)
    # The session, the user, the memberships (the unit is one of them), the strategy, the round with the stamp.
    assert len(queries) == 5
    assert page.count('type="radio"') == 20


def test_answers_show_to_their_person_only_and_post_with_their_token(world, round_) -> None:
    staff, other = signed_in(world.staff, csrf_checks=True), signed_in(colleague(world.unit_a, "toinen"), csrf_checks=True)
    first = _page(staff, world, round_)
    assert " checked" not in first and " checked" not in _page(other, world, round_)

    response = staff.post(url(world, round_), {**data(round_, [2, 2, 2, 2, 2], "save"), "csrfmiddlewaretoken": csrf_token_in(first, 'class="matrix-form"')})
    assert response.status_code == 302 and SelfAssessment.objects.get().person == world.staff

    mine = _page(staff, world, round_)
    assert mine.count(" checked") == 5 and "Perustelu" in mine
    assert " checked" not in _page(other, world, round_)


def test_a_unit_the_person_does_not_work_in_is_refused_as_before(world, round_) -> None:
    from maturity.models import AssessmentRound as Round

    # The owner reads the library's results but does not assess it: 403; the
    # museum's head neither reads nor assesses the library: 404; a unit the
    # round no longer invites is not assessed (404 for whoever cannot read it).
    assert signed_in(world.owner, csrf_checks=True).get(url(world, round_)).status_code == 403
    assert signed_in(world.otherhead, csrf_checks=True).get(url(world, round_)).status_code == 404
    staff = signed_in(world.staff, csrf_checks=True)
    _page(staff, world, round_)
    Round.objects.get(pk=round_.pk).units.remove(world.unit_a)
    assert staff.get(url(world, round_)).status_code == 404


def test_the_form_closes_on_its_closing_day_without_a_change(world, round_) -> None:
    staff = signed_in(world.staff, csrf_checks=True)
    assert "This round is closed" not in _page(staff, world, round_)
    with clock.fixed(round_.closes + datetime.timedelta(days=1)):
        assert "This round is closed" in _page(staff, world, round_)
    AssessmentRound.objects.filter(pk=round_.pk).update(status=AssessmentRound.Status.CLOSED)
    assert "This round is closed" in _page(staff, world, round_)
