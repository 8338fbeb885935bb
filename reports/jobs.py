"""The rendering job of a report: run it once per report id, queue it again
or fail it with a reason people can read, and reap jobs whose worker died.

``report_run`` freezes the snapshot first, renders it, writes the file
atomically and stores its SHA-256; running it twice does no harm.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .document import report_render
from .models import Report
from .snapshot import report_snapshot_build

logger = logging.getLogger(__name__)


class ReportTransientError(Exception):
    """A failure worth trying again (storage or database hiccup)."""


# Errors that may go away on their own; anything else fails the report at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ReportTransientError, OSError, DatabaseError)


def report_filename(report: Report) -> str:
    """The name under which a report is stored and downloaded."""
    years = f"{report.year}-{report.to_year}" if report.to_year else str(report.year)
    unit = f"-{slugify(report.unit.name)[:40]}" if report.unit_id else ""
    return f"{report.strategy.slug}{unit}-{years}-{report.language}-v{report.version}.pdf"


def _stored_name(report: Report) -> str:
    return f"reports/{report.strategy_id}/{report.pk}/{report_filename(report)}"


def _folder_ready(name: str) -> Path | None:
    """Make the folder of a file stored under ``name`` and check that it can be
    written; the path of the file, or None for storages that are not folders.

    Called before rendering too: a media folder that cannot be written fails
    the attempt at once (OSError, which the task retries) instead of after a
    city report's minute of rendering.
    """
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        return None
    target = Path(storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target.parent))
    return target


def _store(report: Report, content: bytes) -> str:
    """Write the PDF under its final name atomically and return that name.

    The name depends only on the report (id and version), so a job that runs
    twice writes the same path: there is never a second file. The bytes go to
    a temporary file in the same folder first and are moved into place with
    ``os.replace``, so a reader never sees a half-written PDF.
    """
    name = _stored_name(report)
    if (target := _folder_ready(name)) is not None:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".rendering-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name
    # Other storages (object stores) write an object in one request.
    from django.core.files.base import ContentFile

    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _test_hold() -> None:
    """Hold the rendering while a test kills its worker in the middle of it.

    Only the test suite sets SUUNTA_REPORT_TEST_HOLD, to the path of a file;
    production never does. While that file exists the rendering waits (two
    minutes at most), so the test kills the worker at a moment it knows and
    lets the next attempt through at once by deleting the file.
    """
    hold = os.environ.get("SUUNTA_REPORT_TEST_HOLD")
    if not hold:
        return
    deadline = time.monotonic() + 120
    while os.path.exists(hold) and time.monotonic() < deadline:
        time.sleep(0.05)


def report_run(*, report_id: int) -> Report:
    """Render one report: idempotent by report id.

    A report that is already done (or failed) is left alone, so a
    re-delivered job does nothing. The snapshot is frozen once, before
    rendering, so a job that runs again after its worker died renders the
    same data. Transient errors propagate (the task retries them); any other
    error marks the report failed with a reason people can read.
    """
    # Done and failed are final: a message delivered again later (Redis, after
    # the reaper gave up on it) must not bring a failed version back to life.
    claimed = Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).update(
        status=Report.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        error="",
    )
    report = Report.objects.select_related("strategy", "unit").get(pk=report_id)
    if not claimed:
        return report
    try:
        if report.snapshot is None:
            report.snapshot = report_snapshot_build(
                strategy=report.strategy,
                year=report.year,
                to_year=report.to_year,
                unit=report.unit,
                language=report.language,
            )
            Report.objects.filter(pk=report.pk, snapshot__isnull=True).update(
                snapshot=report.snapshot
            )
            report.refresh_from_db(fields=["snapshot"])
        _folder_ready(_stored_name(report))
        _test_hold()
        content = report_render(snapshot=report.snapshot)
        name = _store(report, content)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        report_fail(report_id=report_id, exc=exc)
        report.refresh_from_db()
        return report
    Report.objects.filter(pk=report.pk).exclude(status=Report.Status.DONE).update(
        status=Report.Status.DONE,
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        finished_at=timezone.now(),
        error="",
    )
    report.refresh_from_db()
    return report


def report_requeue(*, report_id: int, exc: BaseException) -> None:
    """Show that an attempt failed and another one is coming."""
    report = Report.objects.get(pk=report_id)
    with translation.override(report.language):
        note = _("Attempt %(attempt)s failed (%(error)s); trying again.") % {
            "attempt": report.attempts,
            "error": _describe(exc),
        }
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.QUEUED, error=note
    )


def report_fail(*, report_id: int, exc: BaseException, attempts_exhausted: bool = False) -> None:
    """Mark a report failed with a reason its orderer can read, in the report's language."""
    report = Report.objects.get(pk=report_id)
    if report.status == Report.Status.DONE:
        return
    with translation.override(report.language):
        if attempts_exhausted:
            reason = _(
                "The report could not be rendered after %(attempts)s attempts: %(error)s"
            ) % {
                "attempts": report.attempts,
                "error": _describe(exc),
            }
        else:
            reason = _("The report could not be rendered: %(error)s") % {"error": _describe(exc)}
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def _describe(exc: BaseException) -> str:
    """A reason people can read, not a traceback."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _("rendering took longer than the time limit.")
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        return _("the file could not be saved (%(detail)s).") % {"detail": detail}
    if isinstance(exc, DatabaseError):
        return _("the database was not available.")
    return f"{type(exc).__name__}: {exc}"


# --- stalled jobs and ordering again ----------------------------------------------


@dataclass
class ReapResult:
    """What one pass of the reaper did: report ids queued again and failed."""

    requeued: list[int]
    failed: list[int]


def _stale_q(now: datetime) -> Q:
    """Reports whose job no live worker can still be doing at ``now``.

    Running: longer than ``SUUNTA_REPORT_RUNNING_STALE_SECONDS`` since the
    attempt started. The default is the task's hard time limit plus a
    margin: a live worker kills its child at the time limit, so a job
    running past it has lost its worker (killed, out of memory, machine gone).

    Queued: longer than ``SUUNTA_REPORT_QUEUED_STALE_SECONDS`` since it was
    ordered (or queued again by the reaper). The default is the time limit ×
    (retries + 1) + the longest back-off × retries + the margin, so that a
    job waiting between its retries is never taken for lost.
    """
    running_cutoff = now - timedelta(seconds=settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS)
    queued_cutoff = now - timedelta(seconds=settings.SUUNTA_REPORT_QUEUED_STALE_SECONDS)
    return Q(status=Report.Status.RUNNING, started_at__lt=running_cutoff) | Q(
        Q(requeued_at__isnull=True, requested_at__lt=queued_cutoff)
        | Q(requeued_at__lt=queued_cutoff),
        status=Report.Status.QUEUED,
    )


def report_jobs_reap(*, now: datetime | None = None) -> ReapResult:
    """Queue stalled report jobs again once, then fail them with a reason.

    A job is stalled when it has been queued or running for longer than the
    bounds of ``_stale_q``. Such a report is queued again (a new message) if
    the reaper has not done so before and it has attempts left
    (``SUUNTA_REPORT_MAX_RETRIES`` + 1); otherwise it is marked failed with a
    ``Report.Failure`` code, worded in the reader's language when shown.

    Every change is a conditional UPDATE that repeats the staleness test, so
    two reapers running at once (or a worker claiming the job meanwhile)
    never both act on one report: a report is queued again or failed by
    exactly one of them, and only the one that queued it sends the message.
    """
    now = now or timezone.now()
    result = ReapResult(requeued=[], failed=[])
    stale = _stale_q(now)
    candidates = (
        Report.objects.filter(stale)
        .order_by("pk")
        .values_list("pk", "status", "attempts", "requeued_at")
    )
    for pk, status, attempts, requeued_at in candidates:
        outcome = _reap_one(
            pk=pk, status=status, attempts=attempts, requeued_at=requeued_at, stale=stale, now=now
        )
        if outcome == "requeued":
            result.requeued.append(pk)
        elif outcome == "failed":
            result.failed.append(pk)
    return result


def _reap_one(
    *, pk: int, status: str, attempts: int, requeued_at: datetime | None, stale: Q, now: datetime
) -> str | None:
    """Queue one stalled report again or fail it; None when another reaper
    or a worker got there first."""
    from .tasks import render_report

    mine = Report.objects.filter(stale, pk=pk, status=status)
    if requeued_at is None and attempts < settings.SUUNTA_REPORT_MAX_RETRIES + 1:
        if not mine.filter(requeued_at__isnull=True).update(
            status=Report.Status.QUEUED, requeued_at=now, error=""
        ):
            return None
        logger.warning("Report %s was %s with no live worker; queued again", pk, status)
        transaction.on_commit(lambda: render_report.delay(pk))
        return "requeued"
    failure = (
        Report.Failure.WORKER_LOST
        if status == Report.Status.RUNNING
        else Report.Failure.NOT_PICKED_UP
    )
    if not mine.update(status=Report.Status.FAILED, failure=failure, error="", finished_at=now):
        return None
    logger.warning("Report %s was %s with no live worker; marked failed (%s)", pk, status, failure)
    return "failed"
