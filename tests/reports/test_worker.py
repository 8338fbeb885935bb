"""Reports rendered by a real Celery worker: content, crashes, retries, the command.

Run on Redis locally with ``REDIS_URL=redis://127.0.0.1:6379/6`` (CI sets
REDIS_URL); without it the worker uses the filesystem broker.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reports.models import Report
from reports.pdf import report_title
from reports.services import report_jobs_reap
from reports.tasks import render_report

from .conftest import LEVELS, VISION_FI, pdf_facts, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT = 180  # seconds: the test machine is shared and slow


def wait_for(predicate: Callable[[], object], worker: subprocess.Popen[bytes], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            log = Path(worker.log_path).read_text(errors="replace")  # type: ignore[attr-defined]
            pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log[-6000:]}")
        time.sleep(0.1)


def order_as_owner(world, **data: object) -> Report:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.owner)
    payload = {"year": 2024, "to_year": "", "language": "fi", "unit": "", **data}
    response = client.post(reverse("report-order", args=[world.strategy.slug]), payload)
    assert response.status_code == 302, response.content
    return Report.objects.latest("pk")


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in (media_root / "reports").rglob("*") if p.is_file())


def status_of(report: Report) -> str:
    report.refresh_from_db()
    return report.status


def test_report_ordered_in_the_browser_is_rendered_by_the_worker_like_the_command(
    report_world, media_root: Path, celery_worker_process, tmp_path: Path
) -> None:
    report = order_as_owner(report_world)
    wait_for(lambda: status_of(report) in ("done", "failed"), celery_worker_process, "the report")
    assert report.status == Report.Status.DONE, report.error
    [path] = stored_files(media_root)
    content = path.read_bytes()
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert report.snapshot["visions"] == [{"label": "", "text": VISION_FI}]

    text = pdf_text(content, tmp_path)
    assert VISION_FI in text
    assert "3.1 Osallisuus ja yhteisöllisyys" in text and "3.2 Hyvinvointi ja terveys" in text
    for level_name, _sv in LEVELS:
        assert level_name in text
    facts = pdf_facts(content)
    assert "3.1 Osallisuus ja yhteisöllisyys" in facts["bookmarks"]
    with translation.override("fi"):
        assert facts["title"] == report_title(report.snapshot)
    assert facts["title"].startswith("Kulttuuristrategia \u2013 ")
    assert facts["lang"] == "fi"
    assert facts["tagged"] and facts["fonts_embedded"]

    # The render command makes the same document from the same data.
    output = tmp_path / "by-hand.pdf"
    data = tmp_path / "by-hand.json"
    call_command(
        "render_report",
        strategy=report_world.strategy.slug,
        year=2024,
        language="fi",
        output=str(output),
        snapshot=str(data),
    )
    assert json.loads(data.read_text(encoding="utf-8")) == report.snapshot
    assert output.read_bytes() == content


@pytest.fixture
def held_rendering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Every rendering waits, after freezing its snapshot, while this file exists:
    the test kills the worker in the middle, then deletes the file to let the next attempt through."""
    hold = tmp_path / "hold-rendering"
    hold.touch()
    monkeypatch.setenv("SUUNTA_REPORT_TEST_HOLD", str(hold))
    yield hold
    hold.unlink(missing_ok=True)


def _pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_job_killed_mid_rendering_runs_again_and_leaves_one_file(
    report_world, media_root: Path, held_rendering: Path, celery_worker_process
) -> None:
    report = order_as_owner(report_world)
    # Running, with the snapshot frozen: the child is inside the (slowed) rendering.
    wait_for(
        lambda: status_of(report) == "running" and report.snapshot is not None, celery_worker_process, "the job to start"
    )
    [child] = _pool_children(celery_worker_process.pid)
    os.kill(child, signal.SIGKILL)
    held_rendering.unlink()
    wait_for(lambda: status_of(report) == "done", celery_worker_process, "the job to run again")
    log = Path(celery_worker_process.log_path).read_text(errors="replace")  # type: ignore[attr-defined]
    assert "WorkerLostError" in log or "SIGKILL" in log
    assert report.attempts == 2
    [path] = stored_files(media_root)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == report.sha256
    assert report.file.name == str(path.relative_to(media_root))


@pytest.fixture
def unwritable_media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A media folder that cannot be created: every save fails with an OSError."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    return settings.MEDIA_ROOT


def test_job_that_always_fails_stops_after_its_retries_with_a_readable_reason(
    report_world, unwritable_media: Path, celery_worker_process
) -> None:
    # An English report, so that the reason reads the same whatever the catalogues hold.
    report = order_as_owner(report_world, language="en")
    wait_for(lambda: status_of(report) == "failed", celery_worker_process, "the job to give up")
    assert report.attempts == 1 + render_report.max_retries
    assert report.error.startswith("The report could not be rendered after 4 attempts")
    assert "could not be saved" in report.error
    assert "Traceback" not in report.error
    assert not report.file and not report.sha256
    # It has given up: the last attempt ended without sending another one.
    log = Path(celery_worker_process.log_path)  # type: ignore[attr-defined]
    wait_for(lambda: b"succeeded in" in log.read_bytes(), celery_worker_process, "the last attempt to end")
    text = log.read_text(errors="replace")
    assert text.count(" retry: Retry in ") == render_report.max_retries
    assert text.count("succeeded in") == 1
    report.refresh_from_db()
    assert report.attempts == 4 and report.status == Report.Status.FAILED


def test_done_report_is_never_rendered_again(report_world, media_root: Path, celery_worker_process) -> None:
    report = order_as_owner(report_world)
    wait_for(lambda: status_of(report) == "done", celery_worker_process, "the report")
    [path] = stored_files(media_root)
    before = (path.stat().st_mtime_ns, report.sha256, report.attempts)
    render_report.delay(report.pk)  # a re-delivered job
    marker = Report.objects.create(strategy=report.strategy, year=2023, language="fi")
    render_report.delay(marker.pk)  # the queue is processed in order: once this is done, so is the re-delivery
    wait_for(lambda: status_of(marker) == "done", celery_worker_process, "the second job")
    report.refresh_from_db()
    assert (path.stat().st_mtime_ns, report.sha256, report.attempts) == before
    assert len(stored_files(media_root)) == 2


def test_task_is_durable_and_its_time_limit_is_below_the_visibility_timeout() -> None:
    assert render_report.acks_late is True
    assert render_report.reject_on_worker_lost is True
    assert render_report.max_retries == 3
    assert render_report.retry_backoff
    assert render_report.retry_backoff_max == settings.SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS == 60
    assert render_report.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert render_report.soft_time_limit < render_report.time_limit
    assert render_report.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_WORKER_LOST_WAIT == 10  # the tests' workers wait 1 s
    assert settings.CELERY_WORKER_MAX_TASKS_PER_CHILD


# --- the whole worker killed: the reaper recovers the job ------------------------------


def kill_whole_worker(worker: subprocess.Popen[bytes]) -> None:
    """kill -9 the worker with its pool processes at once, as a crash or the
    out-of-memory killer would: nobody is left to requeue or acknowledge anything."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(worker.pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "pool processes outlived the kill"
        time.sleep(0.1)


def killed_while_rendering(report_world, celery_worker_starter, hold: Path) -> Report:  # type: ignore[no-untyped-def]
    """A report whose worker was killed, all of it, in the middle of the (held) rendering."""
    worker = celery_worker_starter()
    report = order_as_owner(report_world)
    wait_for(lambda: status_of(report) == "running" and report.snapshot is not None, worker, "the job to start")
    kill_whole_worker(worker)
    hold.unlink()  # the next worker renders at once
    assert status_of(report) == "running"  # and nobody will ever finish it: no process of the worker is left
    if not settings.REDIS_URL:
        # The filesystem broker deleted the message when the worker fetched it,
        # before any acknowledgement: the job is lost with the worker (README).
        from config.celery import app

        folder = Path(app.conf.broker_transport_options["data_folder_in"])
        assert not [p for p in folder.iterdir() if p.name.endswith(f".{app.conf.task_default_queue}.msg")]
    return report


def test_job_of_a_killed_worker_is_queued_again_by_the_reaper_and_rendered(
    report_world, media_root: Path, held_rendering: Path, celery_worker_starter
) -> None:
    report = killed_while_rendering(report_world, celery_worker_starter, held_rendering)
    bound = timedelta(seconds=settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS)
    assert report_jobs_reap(now=report.started_at + bound - timedelta(seconds=1)).requeued == []
    assert report_jobs_reap(now=report.started_at + bound + timedelta(seconds=1)).requeued == [report.pk]
    worker = celery_worker_starter(purge=False)
    wait_for(lambda: status_of(report) in ("done", "failed"), worker, "the job queued again")
    assert report.status == Report.Status.DONE, report.reason
    assert report.attempts == 2
    [path] = stored_files(media_root)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == report.sha256


def test_job_of_a_killed_worker_nobody_takes_fails_with_a_reason_and_a_late_delivery_changes_nothing(
    report_world, media_root: Path, held_rendering: Path, celery_worker_starter
) -> None:
    report = killed_while_rendering(report_world, celery_worker_starter, held_rendering)
    running_bound = timedelta(seconds=settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS)
    queued_bound = timedelta(seconds=settings.SUUNTA_REPORT_QUEUED_STALE_SECONDS)
    requeued_at = report.started_at + running_bound + timedelta(seconds=1)
    assert report_jobs_reap(now=requeued_at).requeued == [report.pk]
    # No worker comes for the job queued again.
    assert report_jobs_reap(now=requeued_at + queued_bound + timedelta(seconds=1)).failed == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.failure == Report.Failure.NOT_PICKED_UP
    with translation.override("en"):
        assert report.reason.startswith("No worker took this report up")
    before = Report.objects.values().get(pk=report.pk)

    # A worker comes after all and gets the message late (as Redis hands out
    # the dead worker's one after its visibility timeout): a failed version stays failed.
    worker = celery_worker_starter(purge=False)
    marker = Report.objects.create(strategy=report.strategy, year=2023, language="fi")
    render_report.delay(marker.pk)  # processed in order: once it is done, so is the late delivery
    wait_for(lambda: status_of(marker) in ("done", "failed"), worker, "the marker job")
    assert Report.objects.values().get(pk=report.pk) == before
    assert [path.name for path in stored_files(media_root)] == [Path(marker.file.name).name]
