"""Import benchmark: 10,000 rows of XLSX, openpyxl alone against the path the app takes.

Run: ``.venv/bin/python bench/import_bench.py``. It builds a throwaway SQLite
database and media folder in a temporary folder (nothing of yours is
touched), a strategy with 100 indicators and 10 units, and an XLSX file of
10,000 rows (indicator x unit x year with a target and an actual value). It
then times

1. openpyxl alone reading every row of the file (read-only mode, values only),
2. the path an upload really takes on an empty database (10,000 rows, each
   with a target and an actual value: 20,000 new database rows), from the
   request to the applied rows: the upload page's POST (the form, the
   request's checks, storing the file), the worker's check task
   (``import_validate_task``: the one and only read of the file), the
   confirmation page's POST and the worker's save task (``import_apply_task``:
   planned again from the checked rows, written with history rows when values
   keep a history, file removed),
3. the same for the same file again (a re-import: everything unchanged,
   nothing written),
4. for information, not part of the target: a file whose every value differs
   from the saved ones (20,000 values changed, with their history),

each three times, alternating with openpyxl's read, and it prints the
median of the runs' ratios to the read just before them. The requests go through Django's test client
and the whole middleware stack (``DEBUG`` off); the tasks the views queue
run inline, in the same process, as a worker would run them.

It prints the times, one figure a line as ``bench/README.md`` asks, and the
ratio to openpyxl's read time (target: at most 3 times).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.TemporaryDirectory(prefix="suunta-bench-")
os.environ["SUUNTA_VAR_DIR"] = TMP.name
os.environ["MEDIA_ROOT"] = str(Path(TMP.name) / "media")
(Path(TMP.name) / "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.update(
    {
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
    }
)

import django  # noqa: E402

django.setup()


import openpyxl  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from indicators.models import ImportJob, Indicator, Measurement, Target  # noqa: E402
from strategy.models import Membership, Organisation, Role, Strategy  # noqa: E402

ROWS = 10_000
INDICATORS = 100
UNITS = 10
YEARS = range(2018, 2028)  # 100 x 10 x 10 = 10,000


def setup_world() -> tuple[Strategy, object, list[Indicator], list[Organisation]]:
    call_command("migrate", verbosity=0, interactive=False)
    sector = Organisation.objects.create(name="Toimiala", slug="toimiala", kind=Organisation.Kind.SECTOR)
    units = [
        Organisation.objects.create(name=f"Yksikkö {i}", slug=f"yksikko-{i}", kind=Organisation.Kind.UNIT, parent=sector)
        for i in range(UNITS)
    ]
    strategy = Strategy.objects.create(
        organisation=sector, title="Benchmark", slug="bench", period_start=YEARS[0], period_end=YEARS[-1], status="approved"
    )
    owner = get_user_model().objects.create(username="owner")
    Membership.objects.create(user=owner, organisation=sector, role=Role.OWNER)
    indicators = Indicator.objects.bulk_create(
        Indicator(strategy=strategy, name=f"Mittari {i}", name_fi=f"Mittari {i}") for i in range(INDICATORS)
    )
    return strategy, owner, indicators, units


def build_xlsx(indicators: list[Indicator], units: list[Organisation], *, shift: int = 0) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Indicators")
    sheet.append(["indicator_id", "indicator", "unit", "year", "target", "actual"])
    for indicator in indicators:
        for unit in units:
            for year in YEARS:
                target, actual = 1000 + year + shift, round(900.5 + year * 1.25 + shift, 2)
                sheet.append([indicator.pk, indicator.name_fi, unit.slug, year, target, actual])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_read(data: bytes) -> int:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


RUNS = 3


def timed_read(data: bytes) -> float:
    start = time.perf_counter()
    assert openpyxl_read(data) == ROWS + 1
    return time.perf_counter() - start


def ratios(times: list[float], reads: list[float], *, target: str = "target <= 3") -> str:
    """Each run against the openpyxl read just before it: on a busy machine
    both sides of a pair see the same load."""
    pairs = sorted(t / r for t, r in zip(times, reads, strict=True))
    return f"ratio {statistics.median(pairs):.2f}, min {pairs[0]:.2f}, max {pairs[-1]:.2f}, {target}"


class _Inline:
    """Stands in for a queued Celery task: runs it at once, in this process
    (the views queue it after their transaction commits)."""

    def __init__(self, task: object) -> None:
        self.task = task

    def delay(self, *args: object) -> None:
        self.task(*args)  # type: ignore[operator]


def main() -> None:
    import indicators.tasks

    indicators.tasks.import_validate_task = _Inline(indicators.tasks.import_validate_task)  # type: ignore[assignment]
    indicators.tasks.import_apply_task = _Inline(indicators.tasks.import_apply_task)  # type: ignore[assignment]
    strategy, owner, indicators, units = setup_world()
    client = Client()
    client.force_login(owner)
    upload_url = reverse("import-upload", args=[strategy.slug])
    data = build_xlsx(indicators, units)
    print(f"import_file_rows {ROWS}")
    print(f"import_file_kib {len(data) / 1024:.0f}")

    timed_read(data)  # warm up
    phases: dict[str, float] = {}

    def upload_check_save(content: bytes = data) -> dict[str, int]:
        start = time.perf_counter()
        response = client.post(upload_url, {"file": SimpleUploadedFile("bench.xlsx", content)})
        phases["check"] = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        job = ImportJob.objects.latest("pk")
        assert job.status == ImportJob.Status.VALIDATED, job.errors[:5]
        start = time.perf_counter()
        response = client.post(reverse("import-apply", args=[strategy.slug, job.pk]))
        phases["save"] = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and not job.file, job.errors[:5]
        return job.summary

    # Each run follows an openpyxl read (alternating); the rows are removed (untimed) between fresh runs.
    fresh_times, fresh_reads, again_times, again_reads = [], [], [], []
    for _ in range(RUNS):
        Measurement.objects.all().delete()
        Target.objects.all().delete()
        for model in (Measurement, Target):
            if hasattr(model, "history"):
                model.history.all().delete()
        fresh_reads.append(timed_read(data))
        start = time.perf_counter()
        first = upload_check_save()
        fresh_times.append(time.perf_counter() - start)
        if len(fresh_times) == RUNS // 2 + 1:
            fresh_phases = dict(phases)
        assert first["new_measurements"] == ROWS and first["new_targets"] == ROWS, first
        assert Measurement.objects.count() == ROWS and Target.objects.count() == ROWS

    for _ in range(RUNS):
        again_reads.append(timed_read(data))
        start = time.perf_counter()
        second = upload_check_save()
        again_times.append(time.perf_counter() - start)
        assert second["unchanged"] == 2 * ROWS and second["new_measurements"] == 0, second

    # Every run changes every value: the files alternate.
    changed = build_xlsx(indicators, units, shift=1)
    changed_times, changed_reads = [], []
    for run in range(RUNS):
        content = changed if run % 2 == 0 else data
        changed_reads.append(timed_read(content))
        start = time.perf_counter()
        third = upload_check_save(content)
        changed_times.append(time.perf_counter() - start)
        assert third["changed_measurements"] == ROWS and third["changed_targets"] == ROWS, third
    if RUNS % 2:
        upload_check_save(data)  # back to the first file's values, untimed

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        upload_check_save()
    history = hasattr(Measurement, "history")

    median = statistics.median
    print(f"import_10000_rows_openpyxl_read_seconds {median(fresh_reads + again_reads):.3f} (median of {2 * RUNS})")
    print(f"import_10000_rows_upload_check_save_seconds {median(fresh_times):.3f} ({ratios(fresh_times, fresh_reads)})")
    print(f"import_10000_rows_check_seconds {fresh_phases['check']:.3f} (the upload request: form, checks, storing; the worker's read and check)")
    print(f"import_10000_rows_save_seconds {fresh_phases['save']:.3f} (the confirming request and the worker's save of 20,000 new values{' and their history' if hasattr(Measurement, 'history') else ''})")
    print(f"import_10000_rows_reimport_seconds {median(again_times):.3f} ({ratios(again_times, again_reads)})")
    print(f"import_10000_rows_changed_seconds {median(changed_times):.3f} ({ratios(changed_times, changed_reads, target="not part of the target")})")
    print(f"import_10000_rows_reimport_queries {len(queries)}")
    print(f"import_history_rows_written {'yes' if history else 'no'}")
    met = all(
        median([t / r for t, r in zip(times, reads, strict=True)]) <= 3
        for times, reads in ((fresh_times, fresh_reads), (again_times, again_reads))
    )
    print(f"import_target_met {'yes' if met else 'no'}")


if __name__ == "__main__":
    try:
        main()
    finally:
        TMP.cleanup()
