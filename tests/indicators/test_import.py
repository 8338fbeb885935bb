"""Spreadsheet import: preview with every bad row, all-or-nothing apply, idempotent re-import.

Limits, zip bombs and the life of an import job: ``test_import_limits.py``."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.importing import error_message, import_apply, import_validate
from indicators.models import ImportJob, Measurement, Target, entry_rights
from indicators.services import ValueConflictError, measurement_record, target_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager():
    """Tasks run in this process when enqueued (the checks and saves a worker would do)."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def _snapshot() -> list[tuple]:
    return sorted(Measurement.objects.values_list("indicator_id", "unit_id", "year", "value")) + sorted(
        Target.objects.values_list("indicator_id", "unit_id", "year", "value")
    )


def _validate(world, data: bytes, name: str = "arvot.xlsx", user=None):
    user = user or world.owner
    rights = entry_rights(user=user, strategy=world.strategy)
    return import_validate(io.BytesIO(data), name=name, strategy=world.strategy, rights=rights, user=user)


def _codes(plan) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in plan.errors]


def test_valid_file_is_applied_and_reimport_changes_nothing(world, visitors, satisfaction) -> None:
    data = xlsx(
        [
            ["indicator_id", "indicator", "unit", "year", "target", "actual"],
            [visitors.pk, "Kävijämäärä", "kirjasto", 2023, 1300, 1250],
            [visitors.pk, "Kävijämäärä", "Museo", 2023, None, "1 234,5"],
            [satisfaction.pk, "", "", 2023, "80", 74.5],
            [None, "Asiakastyytyväisyys", None, 2024, None, "76"],
        ]
    )
    plan = _validate(world, data)
    assert plan.ok, plan.errors
    summary = import_apply(plan)
    assert summary["new_measurements"] == 3 and summary["changed_measurements"] == 1  # the museum had 700
    assert summary["new_targets"] == 2
    assert Measurement.objects.get(indicator=visitors, unit=world.unit_b, year=2023).value == Decimal("1234.5")
    assert Measurement.objects.get(indicator=visitors, unit=world.unit_a, year=2023).entered_by == world.owner
    before = _snapshot()
    again = _validate(world, data)
    assert again.ok
    assert again.summary["new_measurements"] == again.summary["changed_measurements"] == 0
    assert again.summary["unchanged"] == 6
    import_apply(again)
    assert _snapshot() == before


def test_finnish_csv_with_semicolons_and_decimal_commas(world, satisfaction) -> None:
    text = "mittari_id;yksikkö;vuosi;tavoite;toteuma\n" f"{satisfaction.pk};;2023;80,5;\u00a074,25\n"
    plan = _validate(world, csv_bytes(text), "arvot.csv")
    assert plan.ok, plan.errors
    import_apply(plan)
    assert Target.objects.get(indicator=satisfaction, year=2023).value == Decimal("80.5")
    assert Measurement.objects.get(indicator=satisfaction, year=2023).value == Decimal("74.25")


def test_every_bad_row_is_listed_and_nothing_changes(world, visitors, satisfaction) -> None:
    before = _snapshot()
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "target", "actual"],
            [visitors.pk, "kirjasto", 2024, None, "paljon"],  # 2 wrong type
            [9999, "kirjasto", 2024, None, 5],  # 3 unknown indicator
            [visitors.pk, "kirjasto", 2031, None, 5],  # 4 year outside the period
            [visitors.pk, "kirjasto", "vuosi", None, 5],  # 5 not a year
            [visitors.pk, "kirjasto", 2025, None, 5],  # 6 fine
            [visitors.pk, "kirjasto", 2025, None, 6],  # 7 duplicate of 6
            [visitors.pk, "=HYPERLINK(\"x\")", 2025, None, 6],  # 8 formula in text
            [visitors.pk, "kirjasto", 2026, None, "=A1*2"],  # 9 formula cell
            [satisfaction.pk, "", 2026, None, 101],  # 10 percentage out of range
            [visitors.pk, "kahvila", 2026, None, 1],  # 11 unknown unit
            [visitors.pk, "@SUM(A1)", 2026, None, 1],  # 12 formula prefix in text
        ]
    )
    plan = _validate(world, data)
    codes = _codes(plan)
    assert (2, "actual", "not_a_number") in codes
    assert (3, "indicator_id", "unknown_indicator") in codes
    assert (4, "year", "year_outside") in codes
    assert (5, "year", "not_a_year") in codes
    assert not any(row == 6 for row, _c, _code in codes)
    assert (7, None, "duplicate") in codes
    assert (8, "unit", "formula") in codes
    assert (9, "actual", "formula") in codes
    assert (10, "actual", "percentage") in codes
    assert (11, "unit", "unknown_unit") in codes
    assert (12, "unit", "formula") in codes
    with pytest.raises(ValueError):
        import_apply(plan)
    assert _snapshot() == before
    assert "2031" in error_message(plan.errors[2]) and "2027" in error_message(plan.errors[2])


def test_xlsx_formula_cells_are_refused(world, visitors) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator_id", "unit", "year", "actual"])
    sheet.append([visitors.pk, "kirjasto", 2024, 5])
    sheet["D2"] = "=SUM(1,2)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = _validate(world, buffer.getvalue())
    assert _codes(plan) == [(2, "actual", "formula")]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "tyhja.xlsx", "empty_file"),
        (b"", "tyhja.csv", "empty_file"),
        (b"indicator_id;year;actual\n", "otsikko.csv", "no_rows"),
        (b"%PDF-1.7 \x00\x01 not really", "raportti.xlsx", "not_spreadsheet"),
        (b"\x00\x01\x02binary", "data.csv", "not_spreadsheet"),
        (b"PK\x03\x04broken zip", "rikki.xlsx", "not_spreadsheet"),
        (b"year;actual\n2024;5\n", "puuttuu.csv", "missing_column"),
        (b"indicator_id;year\n1;2024\n", "eiarvoja.csv", "no_value_columns"),
    ],
)
def test_whole_file_problems(world, data: bytes, name: str, code: str) -> None:
    plan = _validate(world, data, name)
    assert [e["code"] for e in plan.errors] == [code]
    assert plan.errors[0]["row"] is None
    assert error_message(plan.errors[0])


def test_too_many_rows_is_refused(world, visitors, settings) -> None:
    settings.SUUNTA_IMPORT_MAX_ROWS = 10
    rows = "\n".join(f"{visitors.pk};kirjasto;2024;{i}" for i in range(11))
    plan = _validate(world, csv_bytes("indicator_id;unit;year;actual\n" + rows), "iso.csv")
    assert [e["code"] for e in plan.errors] == ["too_many_rows"]


def test_head_may_import_only_their_units_actual_values(world, visitors) -> None:
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "target", "actual"],
            [visitors.pk, "kirjasto", 2024, None, 10],
            [visitors.pk, "museo", 2024, None, 10],
            [visitors.pk, "", 2024, None, 10],
            [visitors.pk, "kirjasto", 2025, 50, None],
        ]
    )
    plan = _validate(world, data, user=world.head)
    assert _codes(plan) == [(3, "unit", "unit_not_allowed"), (4, "unit", "total_not_allowed"), (5, "target", "target_not_allowed")]


# --- through the views ------------------------------------------------------------------------


def _upload(client: Client, world, data: bytes, name: str):
    return client.post(reverse("import-upload", args=[world.strategy.slug]), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_apply_through_the_pages(world, visitors, eager, django_capture_on_commit_callbacks) -> None:
    client = Client()
    client.force_login(world.owner)
    data = xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 1400]])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, data, "arvot.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert job.status == ImportJob.Status.VALIDATED and job.file.name.startswith("imports/")
    preview = client.get(response["Location"]).content.decode()
    assert "import-apply" not in preview and f"/import/{job.pk}/apply/" in preview
    assert not Measurement.objects.filter(year=2024).exists()  # preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-apply", args=[world.strategy.slug, job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Measurement.objects.get(indicator=visitors, year=2024, unit=world.unit_a).value == 1400


def test_bad_file_preview_lists_rows_in_the_users_language(world, visitors, eager, django_capture_on_commit_callbacks) -> None:
    client = Client()
    client.force_login(world.owner)
    data = xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2040, 1]])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, data, "arvot.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    html = client.get(response["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert "2040" in html and "<td class=\"num\">2</td>" in html
    assert f"/import/{job.pk}/apply/" not in html
    refused = client.post(reverse("import-apply", args=[world.strategy.slug, job.pk]))
    assert refused.status_code == 302
    assert not Measurement.objects.filter(year=2040).exists()


def test_wrong_type_and_too_large_files_are_refused_at_upload(world, settings) -> None:
    client = Client()
    client.force_login(world.owner)
    response = _upload(client, world, b"hello", "kuva.png")
    assert response.status_code == 422 and ImportJob.objects.count() == 0
    settings.SUUNTA_IMPORT_MAX_BYTES = 1024
    response = _upload(client, world, b"x" * 2048, "iso.csv")
    assert response.status_code == 422 and ImportJob.objects.count() == 0


def test_staff_may_not_import_and_others_jobs_are_404(world, visitors) -> None:
    staff = Client()
    staff.force_login(world.staff)
    assert staff.get(reverse("import-upload", args=[world.strategy.slug])).status_code == 403
    owner = Client()
    owner.force_login(world.owner)
    _upload(owner, world, xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 5]]), "a.xlsx")
    job = ImportJob.objects.get()
    head = Client()
    head.force_login(world.head)
    assert head.get(reverse("import-detail", args=[world.strategy.slug, job.pk])).status_code == 404
    assert head.post(reverse("import-apply", args=[world.strategy.slug, job.pk])).status_code == 404
    assert not Measurement.objects.filter(year=2024).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_large_file_runs_in_a_celery_worker_with_progress(world, visitors, celery_worker_process, settings) -> None:
    rows = [["indicator_id", "unit", "year", "actual"]]
    from tests.factories import OrganisationFactory

    units = [OrganisationFactory(slug=f"yksikko-{i}", parent=world.service_area) for i in range(200)]
    rows += [[visitors.pk, unit.slug, year, i * 10 + year] for i, unit in enumerate(units) for year in range(2022, 2028)]
    client = Client()
    client.force_login(world.owner)
    response = _upload(client, world, xlsx(rows), "iso.xlsx")
    job = ImportJob.objects.get()
    assert job.status in (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.VALIDATED)
    import time

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_running:
            break
        fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
        if 'hx-trigger="every 1s"' in fragment:  # still running: the browser polls and sees progress
            assert "<progress" in fragment
        time.sleep(0.1)
    assert job.status == ImportJob.Status.VALIDATED, (job.errors[:3], celery_worker_process.log_path.read_text()[-2000:])
    assert job.total_rows == 1200
    assert "import_validate_task" in celery_worker_process.log_path.read_text()
    client.post(reverse("import-apply", args=[world.strategy.slug, job.pk]))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == ImportJob.Status.DONE and not job.file:  # the file goes right after the save
            break
        time.sleep(0.1)
    assert job.status == ImportJob.Status.DONE, celery_worker_process.log_path.read_text()[-2000:]
    assert Measurement.objects.filter(indicator=visitors).count() == 1200 + 2
    assert "import_apply_task" in celery_worker_process.log_path.read_text()
    job.refresh_from_db()
    assert not job.file and not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_errors_name_the_column_as_the_file_does(world, visitors) -> None:
    text = "mittari_id;yksikkö;vuosi;toteuma\n" f"{visitors.pk};kahvila;2024;5\n"
    plan = _validate(world, csv_bytes(text), "arvot.csv")
    assert _codes(plan) == [(2, "yksikkö", "unknown_unit")]


def test_applying_records_history_naming_the_importing_person(world, visitors) -> None:
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "target", "actual"],
            [visitors.pk, "kirjasto", 2024, 1600, 1400],  # new target and value
            [visitors.pk, "museo", 2023, None, 800],  # the museum had 700
            [visitors.pk, "kirjasto", 2025, 1700, None],  # the target was 1500
        ]
    )
    import_apply(_validate(world, data), reason="Imported from arvot.xlsx")
    added = Measurement.history.get(indicator=visitors, unit=world.unit_a, year=2024)
    assert (added.history_type, added.value, added.history_user) == ("+", 1400, world.owner)
    changed = Measurement.history.filter(indicator=visitors, unit=world.unit_b, year=2023).latest("history_date")
    assert (changed.history_type, changed.value, changed.history_user) == ("~", 800, world.owner)
    assert changed.history_change_reason == "Imported from arvot.xlsx"
    target = Target.history.filter(indicator=visitors, unit=world.unit_a, year=2025).latest("history_date")
    assert (target.history_type, target.value, target.history_user) == ("~", 1700, world.owner)
    assert Target.history.get(indicator=visitors, unit=world.unit_a, year=2024).history_user == world.owner


def test_qualitative_values_import_as_ordinals_or_labels_in_any_language(world, stage) -> None:
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "target", "actual"],
            [stage.pk, "kirjasto", 2022, None, 0],  # an ordinal
            [stage.pk, "kirjasto", 2023, None, "Käynnissä"],  # Finnish label
            [stage.pk, "kirjasto", 2025, "klar", "in progress"],  # Swedish and English, any case
            [stage.pk, "museo", 2025, None, " Valmis "],
        ]
    )
    plan = _validate(world, data)
    assert plan.ok, plan.errors
    import_apply(plan)
    values = dict(Measurement.objects.filter(indicator=stage, unit=world.unit_a).values_list("year", "value"))
    assert values == {2022: 0, 2023: 1, 2024: 1, 2025: 1}
    assert Measurement.objects.get(indicator=stage, unit=world.unit_b, year=2025).value == 2
    assert Target.objects.get(indicator=stage, unit=world.unit_a, year=2025).value == 2


def test_qualitative_value_that_is_no_level_is_a_row_error_naming_the_levels(world, stage) -> None:
    before = _snapshot()
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "target", "actual"],
            [stage.pk, "kirjasto", 2022, None, 3],  # no level 3
            [stage.pk, "kirjasto", 2023, None, 1.5],  # between levels
            [stage.pk, "kirjasto", 2025, "Melkein valmis", None],  # no such label
            [stage.pk, "kirjasto", 2026, None, 2],  # fine
        ]
    )
    plan = _validate(world, data)
    assert _codes(plan) == [(2, "actual", "not_a_level"), (3, "actual", "not_a_level"), (4, "target", "not_a_level")]
    with translation.override("sv"):
        message = error_message(plan.errors[2])
    assert "Melkein valmis" in message and "Inte påbörjad (0), Pågår (1), Klar (2)" in message
    with pytest.raises(ValueError):
        import_apply(plan)
    assert _snapshot() == before


def test_qualitative_indicator_without_levels_refuses_imported_values(world) -> None:
    from indicators.models import Indicator, IndicatorKind

    empty = Indicator.objects.create(strategy=world.strategy, name_fi="Tyhjä asteikko", kind=IndicatorKind.QUALITATIVE)
    plan = _validate(world, xlsx([["indicator_id", "year", "actual"], [empty.pk, 2024, 1]]))
    assert _codes(plan) == [(2, "actual", "no_levels")]


@pytest.mark.parametrize("kind", ["actual", "target"])
def test_import_raises_the_version_so_a_grid_form_opened_before_is_refused(world, visitors, kind: str) -> None:
    model, record = (Measurement, measurement_record) if kind == "actual" else (Target, target_record)
    year = 2022 if kind == "actual" else 2025
    cell = model.objects.get(indicator=visitors, unit=world.unit_a, year=year)
    opened_at = cell.version  # the grid form shows this version
    import_apply(_validate(world, xlsx([["indicator_id", "unit", "year", kind], [visitors.pk, "kirjasto", year, 4321]])))
    cell.refresh_from_db()
    assert (cell.value, cell.version) == (4321, opened_at + 1)

    with pytest.raises(ValueConflictError):
        record(
            indicator=visitors, year=year, unit=world.unit_a, value=Decimal(1), user=world.owner, expected_version=opened_at
        )
    cell.refresh_from_db()
    assert cell.value == 4321
