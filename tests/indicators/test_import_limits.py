"""Spreadsheet imports cannot exhaust the machine, never parse a workbook in a
web request, and keep no uploaded file longer than their job needs it."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.importing import (
    ImportFileError,
    check_archive,
    error_message,
    import_read,
    import_validate,
)
from indicators.models import ImportJob, Measurement, entry_rights
from indicators.services import (
    import_job_apply,
    import_job_validate,
    import_jobs_fail_stale,
    import_stale_after,
)

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    """Uploaded files go to a folder of the test's own, so that tests can see what is left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager():
    """Tasks run in this process when enqueued (what a worker would do)."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture
def owner_client(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(target: zipfile.ZipFile, name: str, change: object, old: bytes | None) -> None:
    if isinstance(change, bytes):
        target.writestr(name, change)
    elif callable(change):
        target.writestr(name, change(old))
    else:
        with target.open(name, "w") as stream:
            for chunk in change:  # type: ignore[attr-defined]
                stream.write(chunk)


def rewrite(data: bytes, changes: dict[str, object]) -> bytes:
    """The XLSX ``data`` with parts replaced or added: bytes, a function of the old
    bytes, or an iterable of byte chunks (written as a stream, for parts of many megabytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            if name in changes:
                _write(target, name, changes[name], source.read(name))
            else:
                target.writestr(name, source.read(name))
        for name in set(changes) - set(source.namelist()):
            _write(target, name, changes[name], None)
    return out.getvalue()


SHARED_STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(data: bytes, table: object = None) -> bytes:
    """An openpyxl workbook (which writes its texts inline) with its texts in a
    shared-string table, as Excel writes them; or with the given ``table``."""
    texts: list[bytes] = []

    def share(match: re.Match[bytes]) -> bytes:
        texts.append(match.group(1))
        return b't="s"><v>%d</v>' % (len(texts) - 1)

    sheet = re.sub(rb't="inlineStr"><is><t>(.*?)</t></is>', share, zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    if table is None:
        table = (
            f'<sst xmlns="{MAIN}" count="{len(texts)}" uniqueCount="{len(texts)}">'.encode()
            + b"".join(b"<si><t>%s</t></si>" % text for text in texts)
            + b"</sst>"
        )
    override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s" /></Types>' % SHARED_STRINGS_TYPE
    return rewrite(
        data,
        {
            "xl/worksheets/sheet1.xml": sheet,
            "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override),
            "xl/sharedStrings.xml": table,
        },
    )


def shared_strings_bomb() -> bytes:
    """An XLSX whose sharedStrings.xml holds five million entries (about 90 MB unpacked)."""

    def strings():
        yield f'<sst xmlns="{MAIN}" count="5000000" uniqueCount="5000000">'.encode()
        chunk = b"<si><t>a</t></si>" * 100_000
        for _ in range(50):
            yield chunk
        yield b"</sst>"

    return with_shared_strings(xlsx([["indicator_id", "year", "actual"], [1, 2024, "x"]]), strings())


def empty_rows_bomb() -> bytes:
    """An XLSX whose first sheet holds ten million empty rows (about 60 MB unpacked)."""
    base = xlsx([["indicator_id", "year", "actual"]])

    def sheet():
        yield f'<worksheet xmlns="{MAIN}"><dimension ref="A1:C10000000"/><sheetData>'.encode()
        chunk = b"<row/>" * 200_000
        for _ in range(50):
            yield chunk
        yield b"</sheetData></worksheet>"

    return rewrite(base, {"xl/worksheets/sheet1.xml": sheet()})


def declared_rows_bomb(*, dimension: str = "A1:C10000000", last_row: int = 10_000_000) -> bytes:
    """A small, ordinary-looking XLSX whose sheet claims ten million rows and has
    one cell in the last of them: the archive check lets it through."""

    def sheet(xml: bytes) -> bytes:
        xml, found = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), xml)
        assert found == 1
        return xml.replace(b"</sheetData>", f'<row r="{last_row}"><c r="A{last_row}"><v>1</v></c></row></sheetData>'.encode())

    return rewrite(xlsx([["indicator_id", "year", "actual"]]), {"xl/worksheets/sheet1.xml": sheet})


def warm_up(client: Client, world) -> None:
    """Load what any first request, task and read loads (URLs, templates, the
    Celery app and its task modules, openpyxl's modules), so that the timings
    below measure the file alone."""
    from indicators.tasks import import_jobs_fail_stale_task

    assert client.get(reverse("import-upload", args=[world.strategy.slug])).status_code == 200
    import_jobs_fail_stale_task.apply()
    rows, _estimate = import_read(io.BytesIO(xlsx([["indicator_id", "year", "actual"]])), name="a.xlsx")
    list(rows)


def upload(client: Client, world, data: bytes, name: str):
    return client.post(reverse("import-upload", args=[world.strategy.slug]), {"file": SimpleUploadedFile(name, data)})


def validate(world, data: bytes, name: str = "arvot.xlsx"):
    rights = entry_rights(user=world.owner, strategy=world.strategy)
    return import_validate(io.BytesIO(data), name=name, strategy=world.strategy, rights=rights, user=world.owner)


def codes(plan) -> list[str]:
    return [error["code"] for error in plan.errors]


def stored_job(world, data: bytes, name: str = "arvot.xlsx", created_by=None, **fields) -> ImportJob:
    job = ImportJob(strategy=world.strategy, created_by=created_by or world.owner, original_name=name, **fields)
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    return job


# --- bombs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "message"), [(shared_strings_bomb, "100 times"), (empty_rows_bomb, "100 times")])
def test_zip_bombs_are_refused_at_upload_within_a_second(world, owner_client, media, caplog, build, message) -> None:
    data = build()
    assert len(data) < 300_000  # small files that unpack to tens of megabytes
    warm_up(owner_client, world)
    start = time.perf_counter()
    response = upload(owner_client, world, data, "pommi.xlsx")
    elapsed = time.perf_counter() - start
    assert elapsed < 1, elapsed
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "Save it again as XLSX" in html  # the limit, in the user's language
    assert ImportJob.objects.count() == 0
    assert files_in(media) == []
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]
    assert [(e["event"], e["reason"]) for e in events if e["event"].startswith("import")] == [("import.refused", "too_compressed")]


def test_sheet_declaring_ten_million_rows_is_refused_by_the_worker_within_a_second(
    world, owner_client, media, eager, django_capture_on_commit_callbacks
) -> None:
    data = declared_rows_bomb()
    assert len(data) < 10_000
    warm_up(owner_client, world)
    start = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner_client, world, data, "pommi.xlsx")
    elapsed = time.perf_counter() - start
    assert elapsed < 1, elapsed
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.INVALID and not job.is_running
    assert [e["code"] for e in job.errors] == ["too_many_rows"]
    assert files_in(media) == [] and not job.file
    page = owner_client.get(response["Location"]).content.decode()
    assert "more than 100000 rows" in page and "hx-trigger" not in page


def test_empty_rows_count_even_when_the_dimension_understates_them(world, settings) -> None:
    """The sheet says it is one row high, but has a cell on row 5,000: the empty rows between count."""
    settings.SUUNTA_IMPORT_MAX_ROWS = 1000
    data = declared_rows_bomb(dimension="A1:C1", last_row=5000)
    start = time.perf_counter()
    plan = validate(world, data)
    assert time.perf_counter() - start < 1
    assert codes(plan) == ["too_many_rows"]
    assert "1000" in error_message(plan.errors[0])


def test_shared_strings_are_counted_even_when_their_declared_count_lies(world, settings) -> None:
    settings.SUUNTA_IMPORT_MAX_SHARED_STRINGS = 10
    data = with_shared_strings(xlsx([["indicator_id", "unit", "year", "actual"]] + [[1, f"yksikkö {i}", 2024, 1] for i in range(30)]))
    assert codes(validate(world, data)) == ["too_many_strings"]
    lying = rewrite(data, {"xl/sharedStrings.xml": lambda xml: re.sub(rb'(unique)?[cC]ount="\d+"', b'\\1count="1"', xml)})
    plan = validate(world, lying)
    assert codes(plan) == ["too_many_strings"]
    assert "more than 10 different texts" in error_message(plan.errors[0])
    settings.SUUNTA_IMPORT_MAX_SHARED_STRINGS = 100
    assert "too_many_strings" not in codes(validate(world, lying))


def test_xml_entities_in_a_workbook_are_refused(world) -> None:
    laughs = with_shared_strings(
        xlsx([["indicator_id", "year", "actual"], [1, 2024, "x"]]),
        (
            '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<sst xmlns="{MAIN}" uniqueCount="1"><si><t>&b;</t></si></sst>'
        ).encode(),
    )
    assert codes(validate(world, laughs)) == ["not_spreadsheet"]


# --- each limit is a setting ----------------------------------------------------------------------


def test_upload_size_limit_is_a_setting(world, owner_client, settings) -> None:
    settings.SUUNTA_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    response = upload(owner_client, world, b"indicator_id;year;actual\n" + b"1;2024;5\n" * 300_000, "iso.csv")
    assert response.status_code == 422 and "larger than 2 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_entry_limit_is_a_setting(settings) -> None:
    data = xlsx([["indicator_id", "year", "actual"]])
    settings.SUUNTA_IMPORT_MAX_ENTRIES = 5
    with pytest.raises(ImportFileError) as refused:
        check_archive(io.BytesIO(data))
    assert refused.value.code == "too_many_entries"
    assert "more than 5 parts" in error_message(refused.value.as_dict())
    settings.SUUNTA_IMPORT_MAX_ENTRIES = 50
    check_archive(io.BytesIO(data))


def test_entry_limit_holds_against_a_directory_of_many_tiny_entries(settings) -> None:
    """The count is read from the end record: zipfile would spend seconds on a directory of 100,000 entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(100_000):
            archive.writestr(zipfile.ZipInfo(str(number)), b"")
    start = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        check_archive(out)
    assert time.perf_counter() - start < 0.5
    assert refused.value.code == "too_many_entries"


def test_unpacked_size_limit_is_a_setting(settings) -> None:
    data = xlsx([["indicator_id", "year", "actual"]])
    settings.SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES = 10_000
    with pytest.raises(ImportFileError) as refused:
        check_archive(io.BytesIO(data))
    assert refused.value.code == "too_large_unpacked"
    settings.SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES = 1_000_000
    check_archive(io.BytesIO(data))


def test_compression_ratio_limit_is_a_setting(settings) -> None:
    data = rewrite(xlsx([["indicator_id", "year", "actual"]]), {"docProps/app.xml": b" " * 3_000_000})
    with pytest.raises(ImportFileError) as refused:
        check_archive(io.BytesIO(data))
    assert refused.value.code == "too_compressed" and refused.value.params == {"limit": 100}
    settings.SUUNTA_IMPORT_MAX_RATIO = 10_000
    check_archive(io.BytesIO(data))


def test_row_limit_is_a_setting_for_xlsx(world, visitors, settings) -> None:
    data = xlsx([["indicator_id", "unit", "year", "actual"]] + [[visitors.pk, "kirjasto", 2024, i] for i in range(11)])
    settings.SUUNTA_IMPORT_MAX_ROWS = 10
    assert codes(validate(world, data)) == ["too_many_rows"]
    settings.SUUNTA_IMPORT_MAX_ROWS = 11
    assert "too_many_rows" not in codes(validate(world, data))


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_empty_lines_count_as_rows(world, visitors, settings) -> None:
    settings.SUUNTA_IMPORT_MAX_ROWS = 10
    text = "indicator_id;unit;year;actual\n" + "\n" * 20 + f"{visitors.pk};kirjasto;2024;5\n"
    assert codes(validate(world, text.encode(), "tyhjia.csv")) == ["too_many_rows"]


def test_csv_larger_than_the_limit_is_refused_by_the_worker_too(world, visitors, settings) -> None:
    """A file stored before the limit was lowered is still read only up to the limit."""
    text = "indicator_id;unit;year;actual\n" + f"{visitors.pk};kirjasto;2024;5\n" * 100
    settings.SUUNTA_IMPORT_MAX_BYTES = 1024
    assert codes(validate(world, text.encode(), "iso.csv")) == ["file_too_large"]


def test_csv_with_a_huge_field_or_many_columns_is_refused_or_cut(world, visitors) -> None:
    huge = "indicator_id;unit;year;actual\n" + f'{visitors.pk};"{"x" * 200_000}";2024;5\n'
    assert codes(validate(world, huge.encode(), "iso.csv")) == ["not_spreadsheet"]
    wide = "indicator_id;unit;year;actual" + ";muu" * 10_000 + "\n" + f"{visitors.pk};kirjasto;2024;5" + ";x" * 10_000 + "\n"
    plan = validate(world, wide.encode(), "leveä.csv")
    assert plan.ok and plan.summary["new_measurements"] == 1


# --- no parsing in the web request ----------------------------------------------------------------


def test_upload_stores_the_file_and_queues_the_check_without_opening_the_workbook(
    world, visitors, owner_client, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def must_not_run(*args, **kwargs):
        raise AssertionError("the workbook was opened in the web request")

    monkeypatch.setattr("openpyxl.reader.excel.ExcelReader", must_not_run)
    monkeypatch.setattr("openpyxl.load_workbook", must_not_run)
    monkeypatch.setattr("indicators.importing.import_read", must_not_run)
    queued: list[int] = []
    monkeypatch.setattr("indicators.tasks.import_validate_task.delay", queued.append)
    data = xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 1400]])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner_client, world, data, "arvot.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.QUEUED
    assert queued == [job.pk]
    page = owner_client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Refresh" in page  # polls, and works without JavaScript


def test_confirming_the_preview_queues_the_save_instead_of_saving(
    world, visitors, owner_client, monkeypatch, eager, django_capture_on_commit_callbacks, media
) -> None:
    data = xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 1400]])
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner_client, world, data, "arvot.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATED and len(files_in(media)) == 1

    def must_not_run(*args, **kwargs):
        raise AssertionError("the import was saved in the web request")

    monkeypatch.setattr("indicators.services.import_apply", must_not_run)
    monkeypatch.setattr("indicators.importing.import_read", must_not_run)
    queued: list[int] = []
    monkeypatch.setattr("indicators.tasks.import_apply_task.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("import-apply", args=[world.strategy.slug, job.pk]), headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert queued == [job.pk] and job.status == ImportJob.Status.APPLYING
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert not Measurement.objects.filter(year=2024).exists()

    monkeypatch.undo()
    monkeypatch.setattr("indicators.importing.import_read", must_not_run)  # saving does not read the file again
    import_job_apply(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.summary["new_measurements"] == 1
    assert Measurement.objects.get(indicator=visitors, unit=world.unit_a, year=2024).value == 1400
    assert files_in(media) == [] and not job.file
    import_job_apply(job_id=job.pk)  # the same message delivered twice does nothing
    assert Measurement.objects.filter(indicator=visitors, year=2024).count() == 1


def test_saving_checks_the_rows_again_with_the_rights_of_the_moment(world, visitors, media) -> None:
    from strategy.models import Membership

    data = xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 1400]])
    job = stored_job(world, data, created_by=world.head)
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    Membership.objects.filter(user=world.head).delete()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING)
    import_job_apply(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["code"]) for e in job.errors] == [(2, "unit_not_allowed")]
    assert not Measurement.objects.filter(year=2024).exists()
    assert files_in(media) == []


# --- files are removed when the job ends ----------------------------------------------------------


def test_file_is_removed_when_the_check_finds_errors_and_the_page_says_so(world, owner_client, media) -> None:
    job = stored_job(world, xlsx([["indicator_id", "unit", "year", "actual"], [9999, "kirjasto", 2024, 1]]))
    assert len(files_in(media)) == 1
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and not job.file and files_in(media) == []
    assert job.summary["bad_rows"] == 1 and job.errors[0]["code"] == "unknown_indicator"
    page = owner_client.get(reverse("import-detail", args=[world.strategy.slug, job.pk])).content.decode()
    assert "The uploaded file has been removed" in page and "9999" in page


def test_job_whose_file_is_gone_fails_and_says_so(world, owner_client, media) -> None:
    job = stored_job(world, xlsx([["indicator_id", "year", "actual"]]))
    job.file.storage.delete(job.file.name)
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and [e["code"] for e in job.errors] == ["file_missing"]
    page = owner_client.get(reverse("import-detail", args=[world.strategy.slug, job.pk])).content.decode()
    assert "no longer stored" in page and "Upload a file again" in page and "hx-trigger" not in page


def test_file_is_removed_when_the_check_fails_unexpectedly(world, media, monkeypatch) -> None:
    job = stored_job(world, xlsx([["indicator_id", "year", "actual"]]))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("indicators.services.import_validate", broken)
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors[0]["code"] == "server_error"
    assert files_in(media) == []


def test_discarding_a_checked_import_removes_its_file(world, visitors, owner_client, media) -> None:
    job = stored_job(world, xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 5]]))
    import_job_validate(job_id=job.pk)
    response = owner_client.post(reverse("import-cancel", args=[world.strategy.slug, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and files_in(media) == []
    assert owner_client.post(reverse("import-apply", args=[world.strategy.slug, job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and not Measurement.objects.filter(year=2024).exists()


def test_others_may_not_discard_an_import(world, visitors) -> None:
    job = stored_job(world, xlsx([["indicator_id", "unit", "year", "actual"], [visitors.pk, "kirjasto", 2024, 5]]))
    import_job_validate(job_id=job.pk)
    head = Client()
    head.force_login(world.head)
    assert head.post(reverse("import-cancel", args=[world.strategy.slug, job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


# --- jobs that no worker will finish ---------------------------------------------------------------


def test_stale_bound_comes_from_the_celery_time_limit(settings) -> None:
    settings.CELERY_TASK_TIME_LIMIT = 7200
    assert import_stale_after() == timedelta(seconds=7200 + 1800)
    settings.CELERY_TASK_TIME_LIMIT = 60
    assert import_stale_after() == timedelta(seconds=60 + 600)


def test_stale_jobs_are_failed_with_a_reason_and_their_files_removed(world, owner_client, media, settings) -> None:
    settings.CELERY_TASK_TIME_LIMIT = 60
    data = xlsx([["indicator_id", "year", "actual"]])
    now = timezone.now()
    long_ago = now - import_stale_after() - timedelta(seconds=1)
    stuck = {
        status: stored_job(world, data, status=status, status_changed_at=long_ago)
        for status in (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING)
    }
    recent = stored_job(world, data, status=ImportJob.Status.VALIDATING, status_changed_at=now - timedelta(seconds=30))
    checked_yesterday = stored_job(world, data, status=ImportJob.Status.VALIDATED, status_changed_at=now - timedelta(hours=25))
    leftover = stored_job(world, data, status=ImportJob.Status.DONE, status_changed_at=now - timedelta(hours=1))

    assert import_jobs_fail_stale(now=now) == 4
    for job in stuck.values():
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED and not job.file and job.finished_at
        assert job.errors == [{"row": None, "column": None, "code": "stale", "params": {"minutes": 11}}]
    recent.refresh_from_db()
    assert recent.status == ImportJob.Status.VALIDATING and recent.file
    checked_yesterday.refresh_from_db()
    assert checked_yesterday.status == ImportJob.Status.CANCELLED and checked_yesterday.errors[0]["code"] == "expired"
    leftover.refresh_from_db()
    assert leftover.status == ImportJob.Status.DONE and not leftover.file
    assert files_in(media) == [Path(recent.file.path)]

    page = owner_client.get(
        reverse("import-detail", args=[world.strategy.slug, stuck[ImportJob.Status.QUEUED].pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-trigger" not in page  # stops polling
    assert "did not finish within 11 minutes" in page and reverse("import-upload", args=[world.strategy.slug]) in page

    # The message of a job given up on may still reach a worker: it does nothing.
    import_job_validate(job_id=stuck[ImportJob.Status.QUEUED].pk)
    import_job_apply(job_id=stuck[ImportJob.Status.APPLYING].pk)
    assert ImportJob.objects.filter(status=ImportJob.Status.FAILED).count() == 3
    assert import_jobs_fail_stale(now=now) == 0


def test_stale_job_task_is_scheduled_by_beat(settings) -> None:
    from indicators.tasks import import_jobs_fail_stale_task

    entry = settings.CELERY_BEAT_SCHEDULE["import-stale-jobs"]
    assert entry["task"] == import_jobs_fail_stale_task.name
    assert import_jobs_fail_stale_task.run() == 0
