"""The indicator list's form and table come from the fragment cache until
what they show changes: a value, a target, an indicator, a level's label, a
unit's name, or the year the statuses are judged by."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement, ScaleLevel
from indicators.services import measurement_record, target_record
from strategy import clock, services_people

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list(world, client: Client, **params: object) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("indicator-list", args=[world.strategy.slug]), params)
    assert response.status_code == 200
    body = response.content.decode()
    # The page's main region (the header's CSRF token and the scripts' nonce change with each answer).
    return body[body.index('<main id="main"') : body.index("</main>")], len(queries)


def test_an_unchanged_list_is_read_from_the_cache(world, visitors, satisfaction) -> None:
    client = _client(world.owner)
    first, first_queries = _list(world, client)
    again, again_queries = _list(world, client)
    assert again == first
    assert again_queries <= first_queries - 5  # no grouping, count, indicators, levels, values or filter lists


def test_an_entered_value_and_target_show_at_once(world, satisfaction) -> None:
    client = _client(world.owner)
    before = _list(world, client)[0]
    measurement_record(indicator=satisfaction, year=2024, unit=None, value=Decimal("81.5"), user=world.owner)
    after = _list(world, client)[0]
    assert after != before and "81.5" in after
    assert "88.0" not in _list(world, client, year=2025)[0]
    target_record(indicator=satisfaction, year=2025, unit=None, value=Decimal("88"), user=world.owner)
    assert "88.0" in _list(world, client, year=2025)[0]


def test_a_corrected_and_a_removed_value_show_at_once(world, satisfaction) -> None:
    client = _client(world.owner)
    assert "72.5" in _list(world, client)[0]
    measurement = Measurement.objects.get(indicator=satisfaction, year=2022)
    measurement_record(
        indicator=satisfaction, year=2022, unit=None, value=Decimal("73.5"), user=world.owner, expected_version=measurement.version
    )
    body = _list(world, client)[0]
    assert "73.5" in body and "72.5" not in body
    measurement_record(indicator=satisfaction, year=2022, unit=None, value=None, user=world.owner)
    assert "73.5" not in _list(world, client)[0]


def test_a_renamed_indicator_and_unit_show_at_once(world, visitors) -> None:
    client = _client(world.owner)
    assert "Kävijämäärä" in _list(world, client)[0]
    Indicator.objects.filter(pk=visitors.pk).update(name_en="Library and museum visits")
    assert "Library and museum visits" in _list(world, client)[0]
    assert "Kirjasto" in _list(world, client)[0]  # the unit filter
    services_people.organisation_update(
        organisation=world.unit_a, values={"name": "Pääkirjasto"}, expected_version=world.unit_a.version, user=world.owner
    )
    assert "Pääkirjasto" in _list(world, client)[0]


def test_a_relabelled_level_shows_at_once(world, stage) -> None:
    Measurement.objects.create(indicator=stage, year=2024, unit=None, value=Decimal(1))
    client = _client(world.owner)
    assert "In progress" in _list(world, client)[0]
    level = ScaleLevel.objects.get(indicator=stage, ordinal=1)
    level.label_en = "Under way"
    level.save()
    body = _list(world, client)[0]
    assert "Under way" in body and "In progress" not in body


def test_the_default_year_follows_the_calendar(world, satisfaction) -> None:
    client = _client(world.owner)
    with clock.fixed(datetime.date(2024, 6, 1)):
        earlier = _list(world, client)[0]
    with clock.fixed(datetime.date(2025, 6, 1)):
        later = _list(world, client)[0]
    assert "Status as of 2024" in earlier and "Status as of 2025" in later
