"""An import reads its file once: the upload only stores it, the worker
streams the first sheet in one pass (its row count from the sheet's own
dimension, not from a scan), and saving plans from the checked rows."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl.reader import excel
from openpyxl.worksheet import _read_only, _reader

from indicators.importing import import_validate
from indicators.models import ImportJob, Measurement, entry_rights

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager() -> Iterator[None]:
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts workbooks opened, passes over a sheet's rows and full-sheet scans."""
    counts: Counter[str] = Counter()

    def counting(name: str, original):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(excel.ExcelReader, "__init__", counting("workbook", excel.ExcelReader.__init__))
    monkeypatch.setattr(openpyxl, "load_workbook", counting("workbook", openpyxl.load_workbook))
    monkeypatch.setattr(excel, "load_workbook", counting("workbook", excel.load_workbook))
    monkeypatch.setattr(_reader.WorkSheetParser, "parse", counting("row_pass", _reader.WorkSheetParser.parse))
    monkeypatch.setattr(
        _read_only.ReadOnlyWorksheet, "calculate_dimension", counting("scan", _read_only.ReadOnlyWorksheet.calculate_dimension)
    )
    return counts


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_upload_check_and_save_read_the_workbook_once(world, visitors, eager, reads, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rows = [["indicator_id", "unit", "year", "target", "actual"]]
    rows += [[visitors.pk, unit, year, 1500, 1000 + year] for unit in ("kirjasto", "museo") for year in (2023, 2024, 2025)]
    data = xlsx(rows)
    client = Client()
    client.force_login(world.owner)
    upload = SimpleUploadedFile("arvot.xlsx", data)
    url = reverse("import-upload", args=[world.strategy.slug])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert sum(reads.values()) == 0  # the request stores the file, it does not open the workbook

    for callback in queued:
        callback()  # the worker's check, run here
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    assert reads == {"workbook": 1, "row_pass": 1}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-apply", args=[world.strategy.slug, job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert reads == {"workbook": 1, "row_pass": 1}  # saving does not read the file again
    assert Measurement.objects.filter(indicator=visitors, year__in=[2023, 2024, 2025]).count() == 6


def test_progress_counts_rows_from_the_sheets_dimension(world, visitors, reads) -> None:  # type: ignore[no-untyped-def]
    rows = [["indicator_id", "unit", "year", "actual"]]
    rows += [[visitors.pk, "kirjasto", 2023, n] for n in range(1200)]
    reported: list[tuple[int, int]] = []
    plan = import_validate(
        io.BytesIO(xlsx(rows)),
        name="arvot.xlsx",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
        progress=lambda done, total: reported.append((done, total)),
    )
    assert [e["code"] for e in plan.errors][:1] == ["duplicate"]  # read and judged all the same
    assert reads == {"workbook": 1, "row_pass": 1}
    # While reading, the total is the sheet's declared 1,201 rows, known before the pass.
    assert reported[0] == (500, 2 * 1201)
    assert reported[-1] == (2 * 1200, 2 * 1200)


def test_the_same_level_label_on_many_rows_is_read_on_every_row(world, stage) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["indicator_id", "unit", "year", "actual"],
            [stage.pk, "kirjasto", 2022, "Käynnissä"],
            [stage.pk, "kirjasto", 2023, "Käynnissä"],
            [stage.pk, "museo", 2023, "käynnissä"],
        ]
    )
    plan = import_validate(
        io.BytesIO(data),
        name="arvot.xlsx",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
    )
    assert plan.ok, plan.errors
    assert sorted(row[3] for row in plan.new_measurements) == [1, 1, 1]


def test_a_sheet_without_a_dimension_is_read_once(world, visitors, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """openpyxl's write-only mode, in which our export is written, leaves out
    the sheet's <dimension>: looking for it must not read the whole sheet
    before its rows are read."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Arvot")
    sheet.append(["indicator_id", "unit", "year", "actual"])
    for n in range(3000):
        sheet.append([visitors.pk, "kirjasto", 2022 + n % 6, n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    part = "xl/worksheets/sheet1.xml"
    size = zipfile.ZipFile(buffer).getinfo(part).file_size
    assert b"<dimension" not in zipfile.ZipFile(buffer).read(part)
    read: Counter[str] = Counter()
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):  # type: ignore[no-untyped-def]
        data = original(self, n)
        read[self.name] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    plan = import_validate(
        io.BytesIO(buffer.getvalue()),
        name="vienti.xlsx",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
    )
    assert plan.rows == 3000
    # Once, and the head of it (where a <dimension> would be) once more.
    assert size <= read[part] < size + 64 * 1024
