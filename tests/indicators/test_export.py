"""Export of indicators with targets and values, and the round trip back through import."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.importing import import_validate
from indicators.models import Indicator, entry_rights

pytestmark = pytest.mark.django_db


def _client(world) -> Client:
    client = Client()
    client.force_login(world.viewer)
    return client


def test_xlsx_export_has_targets_and_values_per_unit(world, visitors, satisfaction) -> None:
    response = _client(world).get(reverse("indicator-export-xlsx", args=[world.strategy.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("indicator_id", "indicator", "unit", "unit_name", "year", "target", "actual")
    assert (visitors.pk, "Kävijämäärä", "kirjasto", "Kirjasto", 2022, None, 1100) in [r[:7] for r in rows]
    assert (visitors.pk, "Kävijämäärä", "kirjasto", "Kirjasto", 2025, 1500, None) in [r[:7] for r in rows]
    assert (satisfaction.pk, "Asiakastyytyväisyys", None, "Total", 2022, None, 72.5) in [r[:7] for r in rows] or (
        satisfaction.pk, "Asiakastyytyväisyys", None, "Yhteensä", 2022, None, 72.5
    ) in [r[:7] for r in rows]


def test_csv_export_uses_semicolons_and_decimal_commas_in_finnish(world, satisfaction) -> None:
    with translation.override("fi"):
        response = _client(world).get(reverse("indicator-export-csv", args=[world.strategy.slug]), HTTP_ACCEPT_LANGUAGE="fi")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "indicator_id"
    assert any(row[6] == "72,5" for row in rows[1:])


def test_text_that_looks_like_a_formula_is_neutralised(world) -> None:
    Indicator.objects.create(strategy=world.strategy, name_fi="=HYPERLINK(\"http://x\")")
    client = _client(world)
    text = client.get(reverse("indicator-export-csv", args=[world.strategy.slug])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    content = client.get(reverse("indicator-export-xlsx", args=[world.strategy.slug])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cell = sheet["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_exported_file_imports_back_without_changes(world, visitors, satisfaction) -> None:
    Indicator.objects.create(strategy=world.strategy, name_fi="Ei vielä arvoja")
    content = _client(world).get(reverse("indicator-export-xlsx", args=[world.strategy.slug])).content
    plan = import_validate(
        io.BytesIO(content),
        name="export.xlsx",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
    )
    assert plan.ok, plan.errors
    assert plan.summary["new_measurements"] == plan.summary["changed_measurements"] == 0
    assert plan.summary["new_targets"] == plan.summary["changed_targets"] == 0
    assert plan.summary["unchanged"] == 5  # 3 values and 2 targets


def test_export_of_unseen_strategy_is_404(world) -> None:
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    world.strategy.status = "draft"
    world.strategy.save()
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=OrganisationFactory(slug="muu"), role="viewer")
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("indicator-export-xlsx", args=[world.strategy.slug])).status_code == 404


def _export(world, fmt: str, language: str) -> bytes:
    client = Client(headers={"Accept-Language": language})
    client.force_login(world.owner)
    response = client.get(reverse(f"indicator-export-{fmt}", args=[world.strategy.slug]))
    assert response.status_code == 200
    return response.content


def _rows(content: bytes, fmt: str) -> list[tuple]:
    if fmt == "xlsx":
        return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return [tuple(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")]


@pytest.mark.parametrize(("language", "in_progress", "completed"), [("fi", "Käynnissä", "Valmis"), ("sv", "Pågår", "Klar")])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_qualitative_values_are_exported_as_level_labels_in_the_export_language(
    world, stage, fmt: str, language: str, in_progress: str, completed: str
) -> None:
    rows = [row for row in _rows(_export(world, fmt, language), fmt) if str(row[0]) == str(stage.pk)]
    # (year, target, actual); CSV has no empty cell type, XLSX no empty strings.
    empty = None if fmt == "xlsx" else ""
    assert {(str(row[4]), row[5], row[6]) for row in rows} == {("2024", empty, in_progress), ("2026", completed, empty)}


@pytest.mark.parametrize(("fmt", "language"), [("xlsx", "fi"), ("xlsx", "sv"), ("csv", "fi"), ("csv", "en")])
def test_exported_qualitative_values_import_back_without_changes(world, stage, visitors, fmt: str, language: str) -> None:
    content = _export(world, fmt, language)
    plan = import_validate(
        io.BytesIO(content),
        name=f"export.{fmt}",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
    )
    assert plan.ok, plan.errors
    assert plan.summary["new_measurements"] == plan.summary["changed_measurements"] == 0
    assert plan.summary["new_targets"] == plan.summary["changed_targets"] == 0
    assert plan.summary["unchanged"] == 5  # the stage's value and target, the visitors' 2 values and target
