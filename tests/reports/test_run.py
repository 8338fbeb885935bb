"""report_run in-process: freezing, archiving, idempotency and failure reasons."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reports import jobs
from reports.models import Report
from reports.services import report_run
from strategy.models import Vision

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(report_world, media_root: Path) -> Report:  # type: ignore[no-untyped-def]
    # English, so that the reasons read the same whatever the catalogues hold.
    return Report.objects.create(strategy=report_world.strategy, year=2024, language="en", requested_by=report_world.owner)


def test_run_freezes_the_data_and_archives_the_pdf(report: Report, media_root: Path) -> None:
    report = report_run(report_id=report.pk)
    assert report.status == Report.Status.DONE
    assert report.attempts == 1 and report.started_at and report.finished_at
    stored = media_root / report.file.name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == report.sha256
    assert report.snapshot["year"] == 2024
    # No temporary file is left next to it.
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]


def test_run_of_a_done_report_changes_nothing(report: Report, media_root: Path, monkeypatch) -> None:
    report = report_run(report_id=report.pk)
    before = (media_root / report.file.name).stat().st_mtime_ns
    monkeypatch.setattr(jobs, "report_render", lambda **kwargs: pytest.fail("rendered again"))
    again = report_run(report_id=report.pk)
    assert (again.sha256, again.attempts, again.file.name) == (report.sha256, 1, report.file.name)
    assert (media_root / report.file.name).stat().st_mtime_ns == before


def test_data_changes_after_the_snapshot_do_not_change_a_rerun(report: Report, report_world, media_root: Path, monkeypatch) -> None:
    """A job that runs again (its worker died) renders the frozen data, not today's."""
    monkeypatch.setattr(jobs, "_store", lambda report, content: (_ for _ in ()).throw(OSError(5, "disk gone")))
    with pytest.raises(OSError):
        report_run(report_id=report.pk)
    frozen = Report.objects.get(pk=report.pk).snapshot
    Vision.objects.filter(strategy=report_world.strategy).update(text_fi="Uusi visio")
    monkeypatch.undo()
    report = report_run(report_id=report.pk)
    assert report.status == Report.Status.DONE and report.attempts == 2
    assert report.snapshot == frozen
    assert report.snapshot["visions"][0]["text"] != "Uusi visio"


def test_a_broken_rendering_fails_at_once_with_a_reason(report: Report, monkeypatch) -> None:
    def broken(**kwargs: object) -> bytes:
        raise ValueError("the template is broken")

    monkeypatch.setattr(jobs, "report_render", broken)
    report = report_run(report_id=report.pk)
    assert report.status == Report.Status.FAILED
    assert report.error == "The report could not be rendered: ValueError: the template is broken"
    assert not report.file and not report.sha256


def test_a_transient_error_is_left_to_the_task_to_retry(report: Report, monkeypatch) -> None:
    from reports.services import report_requeue

    monkeypatch.setattr(jobs, "_store", lambda report, content: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError) as caught:
        report_run(report_id=report.pk)
    report_requeue(report_id=report.pk, exc=caught.value)
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert report.error == "Attempt 1 failed (the file could not be saved (No space left on device).); trying again."


@pytest.mark.parametrize("broken", ["a file in the way", "a read-only folder"])
def test_a_media_folder_that_cannot_be_written_fails_the_attempt_before_rendering(
    report: Report, settings, tmp_path: Path, monkeypatch, broken: str
) -> None:
    """A city report takes a minute to render: a storage that cannot take the
    file is found out first, and each of the task's attempts ends at once."""
    if broken == "a file in the way":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = blocker / "media"
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
        monkeypatch.setattr(jobs.os, "access", lambda path, mode: False)
    monkeypatch.setattr(jobs, "report_render", lambda **kwargs: pytest.fail("rendered into a folder that cannot take the file"))
    with pytest.raises(OSError) as caught:
        report_run(report_id=report.pk)
    assert caught.value.strerror
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and report.attempts == 1 and not report.file
