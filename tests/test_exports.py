"""Every spreadsheet export is data, never formulas.

People write texts that reach the exports (action titles, narratives,
justifications, indicator and unit names). Each export is downloaded with
such texts starting with every prefix that makes a spreadsheet program run a
formula, and read back: no formula cell, no cell that starts with a
dangerous character, and numbers still numbers.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from strategy.models import PlanItem
from strategy.views.plans import current_year
from tests.factories import ActionFactory, AnnualPlanFactory, FocusAreaFactory, PlanItemFactory
from tests.maturity.conftest import answer, build_matrix, colleague, open_round

pytestmark = pytest.mark.django_db

DANGEROUS_TEXTS = ('=HYPERLINK("http://x","y")', "=1+1", "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1")
# What a cell must not start with; written out here rather than taken from
# the module under test.
FORBIDDEN_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")
# A CSV field has no type: a negative number is written as "-5" and read as
# the number it is, which is not a formula.
PLAIN_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rename(obj: Any, field: str, text: str) -> None:
    """Write ``text`` in every language, so that whichever the export reads is dangerous."""
    for language in ("fi", "sv", "en"):
        setattr(obj, f"{field}_{language}", text)
    obj.save()


def _xlsx_cells(content: bytes) -> list[Any]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_xlsx_is_data(content: bytes) -> list[Any]:
    cells = _xlsx_cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORBIDDEN_FIRST)] == []
    for text in DANGEROUS_TEXTS:
        # XML reads a CR back as LF.
        assert "'" + text.replace("\r", "\n") in texts, f"{text!r} did not reach the export"
    return cells


def _assert_csv_is_data(content: bytes, delimiter: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    fields = [field for row in rows for field in row]
    assert [field for field in fields if field.startswith(FORBIDDEN_FIRST) and not PLAIN_NUMBER.fullmatch(field)] == []
    for text in DANGEROUS_TEXTS:
        assert "'" + text in fields, f"{text!r} did not reach the export"
    return rows


def _export_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    events = [json.loads(record.getMessage()) for record in caplog.records if record.name == "suunta.security"]
    return [event for event in events if event["event"].startswith("export.")]


def test_plan_xlsx_is_data_and_numbers_stay_numbers(world, caplog) -> None:
    _rename(world.unit_a, "name", "=1+1")
    area = FocusAreaFactory(strategy=world.strategy, title="@SUM(1)")
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=current_year(world.strategy))
    for order, text in enumerate(DANGEROUS_TEXTS):
        action = ActionFactory(strategy=world.strategy, focus_area=area, number="+1", title=text)
        PlanItemFactory(
            plan=plan,
            action=action,
            order=order,
            description=text,
            responsible_person=text,
            schedule=text,
            budget=Decimal("1500.50"),
            progress=40,
            status=PlanItem.Status.ON_TRACK,
        )

    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = _client(world.head).get(reverse("plan-export-xlsx", args=[plan.pk]))

    assert response.status_code == 200
    cells = _assert_xlsx_is_data(response.content)
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert numbers.count(1500.5) == len(DANGEROUS_TEXTS) and numbers.count(40) == len(DANGEROUS_TEXTS)
    assert [(e["event"], e["plan"], e["format"], e["username"]) for e in _export_events(caplog)] == [
        ("export.plan", plan.pk, "xlsx", "head")
    ]


def _round_with_dangerous_texts(world: Any) -> Any:
    matrix = build_matrix(world.strategy)
    _rename(world.unit_b, "name", "-1+1")
    _rename(matrix.dimensions[0], "title", '=HYPERLINK("http://x","y")')
    _rename(matrix.levels[1], "name", "@SUM(1)")
    round_ = open_round(matrix, [world.unit_b], is_anonymous=False)
    for number, text in enumerate(DANGEROUS_TEXTS):
        person = colleague(world.unit_b, f"museo{number}")
        person.first_name = text
        person.save()
        answer(round_, world.unit_b, person, [2, 2, 3, 3, 3], why=text)
    return round_


def test_round_xlsx_is_data_and_numbers_stay_numbers(world, caplog) -> None:
    round_ = _round_with_dangerous_texts(world)

    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = _client(world.owner).get(reverse("maturity-round-xlsx", args=[world.strategy.slug, round_.pk]))

    assert response.status_code == 200
    cells = _assert_xlsx_is_data(response.content)
    answers_column = [cell.value for cell in cells if cell.column == 3 and cell.row > 1 and cell.data_type == "n"]
    assert len(DANGEROUS_TEXTS) in answers_column  # the number of answers per dimension
    assert [(e["event"], e["round"], e["strategy"], e["format"]) for e in _export_events(caplog)] == [
        ("export.maturity_round", round_.pk, world.strategy.slug, "xlsx")
    ]


def test_round_csv_is_data(world, caplog) -> None:
    round_ = _round_with_dangerous_texts(world)

    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = _client(world.owner).get(reverse("maturity-round-csv", args=[world.strategy.slug, round_.pk]))

    rows = _assert_csv_is_data(response.content, ";")
    summary = next(row for row in rows[1:] if "=HYPERLINK" in row[1])
    assert summary[2] == str(len(DANGEROUS_TEXTS)) and summary[3] == "2"
    assert [(e["event"], e["round"], e["format"]) for e in _export_events(caplog)] == [
        ("export.maturity_round", round_.pk, "csv")
    ]


def _indicators_with_dangerous_texts(world: Any) -> list[Indicator]:
    _rename(world.unit_a, "name", "\t=1")
    indicators = []
    for text in DANGEROUS_TEXTS:
        indicator = Indicator.objects.create(strategy=world.strategy, name_fi=text, name_en=text, unit_of_measure=text)
        Target.objects.create(indicator=indicator, year=2025, unit=world.unit_a, value=Decimal("-5"))
        Measurement.objects.create(indicator=indicator, year=2024, unit=world.unit_a, value=Decimal("1234.5"))
        indicators.append(indicator)
    return indicators


def test_indicator_xlsx_is_data_and_numbers_stay_numbers(world, caplog) -> None:
    indicators = _indicators_with_dangerous_texts(world)

    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = _client(world.viewer).get(reverse("indicator-export-xlsx", args=[world.strategy.slug]))

    cells = _assert_xlsx_is_data(response.content)
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert numbers.count(-5) == numbers.count(1234.5) == len(indicators)
    assert {indicator.pk for indicator in indicators} <= set(numbers)
    assert [(e["event"], e["strategy"], e["format"]) for e in _export_events(caplog)] == [
        ("export.indicators", world.strategy.slug, "xlsx")
    ]


@pytest.mark.parametrize(("language", "delimiter", "number"), [("en", ",", "1234.5"), ("fi", ";", "1234,5")])
def test_indicator_csv_is_data(world, caplog, language: str, delimiter: str, number: str) -> None:
    _indicators_with_dangerous_texts(world)

    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = _client(world.viewer).get(
            reverse("indicator-export-csv", args=[world.strategy.slug]), HTTP_ACCEPT_LANGUAGE=language
        )

    rows = _assert_csv_is_data(response.content, delimiter)
    assert [row[6] for row in rows[1:] if row[6]] == [number] * len(DANGEROUS_TEXTS)
    assert [row[5] for row in rows[1:] if row[5]] == ["-5"] * len(DANGEROUS_TEXTS)  # a negative number stays a number
    assert [(e["event"], e["format"]) for e in _export_events(caplog)] == [("export.indicators", "csv")]
