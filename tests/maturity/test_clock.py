"""The maturity pages read the date from the Suunta clock, so that they can
be tried on any day (``SUUNTA_TODAY`` or ``clock.fixed``)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from maturity.forms import RoundForm
from maturity.models import SelfAssessment
from strategy import clock

from .conftest import open_round

pytestmark = pytest.mark.django_db

NEW_YEAR_2028 = datetime.date(2028, 1, 2)


def test_new_round_form_proposes_the_clocks_day_and_a_year_inside_the_period(world, matrix) -> None:
    with clock.fixed(NEW_YEAR_2028):
        form = RoundForm(strategy=world.strategy)
    # The strategy runs 2022–2027: the answers describe 2027 at the latest.
    assert form.fields["year"].initial == 2027
    assert form.fields["opens"].initial == NEW_YEAR_2028
    assert form.fields["closes"].initial == NEW_YEAR_2028 + datetime.timedelta(days=21)
    with clock.fixed(datetime.date(2024, 5, 1)):
        assert RoundForm(strategy=world.strategy).fields["year"].initial == 2024


def test_a_round_takes_answers_on_the_clocks_days_only(world, matrix) -> None:
    round_ = open_round(matrix, [world.unit_a], year=2027, opens=datetime.date(2027, 12, 20), closes=NEW_YEAR_2028)
    client = Client()
    client.force_login(world.staff)
    url = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    dimension = matrix.dimensions[0]
    with clock.fixed(datetime.date(2027, 12, 19)):
        assert "This round opens on" in client.get(url).content.decode()
        assert not round_.accepts_answers()
    with clock.fixed(NEW_YEAR_2028):
        assert round_.accepts_answers()
        client.post(url, {"action": "draft", f"level_{dimension.pk}": matrix.levels[1].pk, "assessment": ""})
        assert SelfAssessment.objects.filter(person=world.staff).exists()
    with clock.fixed(NEW_YEAR_2028 + datetime.timedelta(days=1)):
        assert not round_.accepts_answers()
