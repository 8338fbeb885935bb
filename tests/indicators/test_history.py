"""Targets and measured values keep their history: who changed what, when,
from which value to which, and the indicator page shows it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from indicators.numbers import format_value
from indicators.services import measurement_record, target_record

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cell_url(name: str, world: Any, indicator: Indicator, year: int, unit: Any) -> str:
    return reverse(name, args=[world.strategy.slug, indicator.pk, year, str(unit.pk) if unit else "total"])


def _changes(model: Any, **lookup: Any) -> list[tuple[str, str | None, Decimal]]:
    return [
        (record.history_type, record.history_user.username if record.history_user else None, record.value)
        for record in model.history.filter(**lookup).order_by("history_date", "history_id")
    ]


def test_saving_a_measurement_twice_keeps_the_earlier_value_with_who_entered_it(world, visitors) -> None:
    url = _cell_url("measurement-edit", world, visitors, 2024, world.unit_a)
    head = _client(world.head)

    head.post(url, {"value": "1200"})
    _client(world.owner).post(url, {"value": "1250", "version": "1"})

    assert Measurement.objects.get(indicator=visitors, year=2024, unit=world.unit_a).value == 1250
    assert _changes(Measurement, indicator_id=visitors.pk, year=2024) == [
        ("+", "head", Decimal(1200)),
        ("~", "owner", Decimal(1250)),
    ]


def test_removing_a_measurement_keeps_the_removed_value(world, visitors) -> None:
    _client(world.head).post(_cell_url("measurement-edit", world, visitors, 2022, world.unit_a), {"value": "", "version": "1"})

    assert not Measurement.objects.filter(indicator=visitors, year=2022, unit=world.unit_a).exists()
    assert _changes(Measurement, indicator_id=visitors.pk, year=2022, unit_id=world.unit_a.pk)[-1] == (
        "-",
        "head",
        Decimal(1100),
    )


def test_saving_a_target_writes_history_with_the_owner_and_old_and_new_value(world, visitors) -> None:
    url = _cell_url("target-edit", world, visitors, 2025, world.unit_a)

    _client(world.owner).post(url, {"value": "1600", "version": "1"})
    _client(world.owner).post(url, {"value": "1600", "version": "2"})  # unchanged: no new row

    records = list(Target.history.filter(indicator_id=visitors.pk, year=2025).order_by("history_date", "history_id"))
    assert [(r.history_type, r.value) for r in records] == [("+", Decimal(1500)), ("~", Decimal(1600))]
    assert records[-1].history_user == world.owner
    assert records[-1].prev_record.value == Decimal(1500)


def test_service_outside_a_request_names_the_user_it_is_given(world, visitors) -> None:
    visitors.strategy = world.strategy
    measurement_record(indicator=visitors, year=2023, unit=world.unit_a, value=Decimal(5), user=world.head)

    assert _changes(Measurement, indicator_id=visitors.pk, year=2023, unit_id=world.unit_a.pk) == [("+", "head", Decimal(5))]


def test_indicator_page_shows_who_changed_which_value_from_what_to_what(world, visitors) -> None:
    _client(world.head).post(_cell_url("measurement-edit", world, visitors, 2022, world.unit_a), {"value": "1234", "version": "1"})
    world.head.first_name, world.head.last_name = "Hanna", "Heikkinen"
    world.head.save()

    page = _client(world.viewer).get(reverse("indicator-detail", args=[world.strategy.slug, visitors.pk])).content.decode()

    history = page[page.index('id="value-history"') :]
    assert '<caption id="value-history-caption">Changes to targets and measured values, newest first</caption>' in history
    row = history[history.index("Hanna Heikkinen") :]
    row = row[: row.index("</tr>")]
    assert "Actual value" in row and "<td>2022</td>" in row and "<td>Kirjasto</td>" in row
    old, new = (format_value(Decimal(v), decimals=0, percentage=False) for v in (1100, 1234))
    assert f'<td class="num">{old}</td>' in row and f'<td class="num">{new}</td>' in row


def test_history_costs_the_same_queries_however_long_it_is(world, visitors, django_assert_max_num_queries) -> None:
    url = reverse("indicator-detail", args=[world.strategy.slug, visitors.pk])
    owner = _client(world.owner)
    with CaptureQueriesContext(connection) as short:
        owner.get(url)
    baseline = len(short.captured_queries)  # read now: the next request clears the query log

    visitors.strategy = world.strategy
    for year in (2022, 2023, 2024, 2025):
        for unit in (world.unit_a, world.unit_b, None):
            for value in (10, 20, 30):
                measurement_record(indicator=visitors, year=year, unit=unit, value=Decimal(value), user=world.owner)
                target_record(indicator=visitors, year=year, unit=unit, value=Decimal(value), user=world.owner)

    with django_assert_max_num_queries(baseline):
        page = owner.get(url).content.decode()
    assert page.count("<td>owner</td>") >= 50


def test_definition_history_keeps_every_language(world, visitors) -> None:
    visitors.name_sv = "Besökare"
    visitors.save()

    latest, earlier = visitors.history.order_by("-history_date", "-history_id")[:2]
    assert (earlier.name_fi, earlier.name_sv) == ("Kävijämäärä", "Besökarantal")
    assert (latest.name_fi, latest.name_sv) == ("Kävijämäärä", "Besökare")
    assert [change.field for change in latest.diff_against(earlier).changes] == ["name_sv"]
