"""Reports give their memory back: each one is rendered in a process that ends after it.

The worker's pool process starts a rendering process per report
(``reports.rendering``) and only waits for it, so the pool process never
holds WeasyPrint's memory. The rendering process dies with the pool process
and stops at the task's soft time limit.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError

from reports.models import Report
from reports.rendering import _error_entry, _transient_error, report_run_isolated
from reports.services import ReportTransientError
from reports.tasks import render_report

from ..conftest import _database_url
from .test_worker import order_as_owner, status_of, stored_files, wait_for

# The pool and rendering processes read what the test wrote: it must be committed.
on_committed_data = pytest.mark.django_db(transaction=True)

MIB = 1024 * 1024
RENDERER = re.compile(rb"rendering process (\d+) ended after [\d.]+ s, peak memory (\d+) MiB")


def children(pid: int) -> list[int]:
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except FileNotFoundError:
        return []


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_until_gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def pool_process(worker: subprocess.Popen[bytes]) -> int:
    [child] = children(worker.pid)
    return child


def loaded_pango(pid: int) -> bool:
    return "libpango" in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.worker
@on_committed_data
def test_pool_process_that_took_a_report_stays_at_its_baseline_and_the_renderer_is_gone(
    report_world, media_root: Path, celery_worker_process
) -> None:
    pool = pool_process(celery_worker_process)
    baseline = rss(pool)
    report = order_as_owner(report_world)
    wait_for(lambda: status_of(report) in ("done", "failed"), celery_worker_process, "the report")
    assert report.status == Report.Status.DONE, report.error
    assert len(stored_files(media_root)) == 1

    assert pool_process(celery_worker_process) == pool  # the same pool process stays
    assert not loaded_pango(pool), "the pool process loaded WeasyPrint's libraries itself"
    assert rss(pool) - baseline < 100 * MIB
    log = Path(celery_worker_process.log_path)  # type: ignore[attr-defined]
    # The pool process logs once the renderer has ended, just after the report is done.
    wait_for(
        lambda: RENDERER.search(log.read_bytes()),
        celery_worker_process,
        "the rendering process's end",
    )
    [(renderer, peak)] = RENDERER.findall(log.read_bytes())
    assert int(renderer) != pool and not alive(int(renderer))
    assert int(peak) > 0


@pytest.fixture
def held_rendering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Every rendering waits, after freezing its snapshot, while this file exists."""
    hold = tmp_path / "hold-rendering"
    hold.touch()
    monkeypatch.setenv("SUUNTA_REPORT_TEST_HOLD", str(hold))
    yield hold
    hold.unlink(missing_ok=True)


def running_renderer(report: Report, worker: subprocess.Popen[bytes]) -> tuple[int, int]:
    """The pool process and its rendering process, once the job is under way."""
    wait_for(
        lambda: status_of(report) == "running" and report.snapshot is not None,
        worker,
        "the job to start",
    )
    pool = pool_process(worker)
    [renderer] = children(pool)
    return pool, renderer


@pytest.mark.worker
@on_committed_data
def test_rendering_process_dies_with_a_killed_pool_process_and_the_job_runs_again(
    report_world, media_root: Path, held_rendering: Path, celery_worker_process
) -> None:
    report = order_as_owner(report_world)
    pool, renderer = running_renderer(report, celery_worker_process)
    os.kill(pool, signal.SIGKILL)
    assert wait_until_gone(renderer), "the rendering process outlived its pool process"
    held_rendering.unlink()
    wait_for(lambda: status_of(report) == "done", celery_worker_process, "the job to run again")
    assert report.attempts == 2
    assert len(stored_files(media_root)) == 1


@pytest.mark.worker
@on_committed_data
def test_rendering_process_killed_like_by_the_out_of_memory_killer_is_tried_again(
    report_world, media_root: Path, held_rendering: Path, celery_worker_process
) -> None:
    report = order_as_owner(report_world)
    pool, renderer = running_renderer(report, celery_worker_process)
    os.kill(renderer, signal.SIGKILL)
    held_rendering.unlink()
    wait_for(lambda: status_of(report) == "done", celery_worker_process, "the job to run again")
    assert report.attempts == 2
    assert pool_process(celery_worker_process) == pool  # the pool process itself lived on
    log = Path(celery_worker_process.log_path).read_text(errors="replace")  # type: ignore[attr-defined]
    assert "was stopped by signal 9" in log
    assert len(stored_files(media_root)) == 1


@pytest.mark.worker
@on_committed_data
def test_soft_time_limit_stops_the_rendering_process_and_fails_the_report_with_a_reason(
    report_world, media_root: Path, held_rendering: Path, celery_worker_process
) -> None:
    worker = celery_worker_process
    report = Report.objects.create(strategy=report_world.strategy, year=2024, language="en")
    # The sender's limits travel in the message; the worker applies them.
    render_report.apply_async((report.pk,), soft_time_limit=5)
    _pool, renderer = running_renderer(report, worker)
    wait_for(lambda: status_of(report) == "failed", worker, "the soft time limit")
    assert wait_until_gone(renderer)
    assert "took longer than the time limit" in report.error
    assert stored_files(media_root) == []


# --- without a worker: the task's own call ------------------------------------------


@pytest.fixture
def child_environment(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    """The rendering process reads the test database and media folder from its environment."""
    monkeypatch.setenv("DATABASE_URL", _database_url())
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    monkeypatch.delenv("SUUNTA_TEST_DB_NAME", raising=False)


@on_committed_data
def test_report_is_rendered_in_another_process_that_reports_its_peak_memory(
    report_world, media_root: Path, child_environment: None
) -> None:
    report = Report.objects.create(strategy=report_world.strategy, year=2024, language="fi")
    run = report_run_isolated(report_id=report.pk)
    assert run.pid != os.getpid() and not alive(run.pid)
    assert 20 < run.peak_mib < 600
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.attempts == 1
    [path] = stored_files(media_root)
    assert path.stat().st_size > 10_000


@on_committed_data
def test_transient_error_in_the_rendering_process_is_raised_again_for_the_task_to_retry(
    report_world, tmp_path: Path, settings, child_environment: None, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    monkeypatch.setenv("MEDIA_ROOT", str(blocker / "media"))
    report = Report.objects.create(strategy=report_world.strategy, year=2024, language="en")
    with pytest.raises(OSError) as raised:
        report_run_isolated(report_id=report.pk)
    assert raised.value.strerror  # reads as "the file could not be saved (Not a directory)."
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and report.attempts == 1  # the task decides


@pytest.mark.parametrize(
    "error",
    [
        OSError(28, "No space left on device"),
        DatabaseError("server closed the connection"),
        ReportTransientError("hiccup"),
    ],
)
def test_transient_errors_cross_the_process_boundary_as_the_same_kind(error: Exception) -> None:
    again = _transient_error(_error_entry(error))
    assert type(again) is type(error)
    assert str(again) == str(error)


@on_committed_data
def test_rendering_process_that_cannot_start_fails_the_report_with_a_reason(
    report_world, media_root: Path, child_environment: None, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.no_such_settings")
    report = Report.objects.create(strategy=report_world.strategy, year=2024, language="en")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=1)
    report_run_isolated(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == (
        "The report could not be rendered: ReportProcessError: "
        "the rendering process ended with exit code 1."
    )
    assert stored_files(media_root) == []
