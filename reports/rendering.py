"""Running a report job in a short-lived process of its own.

A report at city scale makes WeasyPrint hold half a gigabyte of small Python
objects. Once they are freed, Python's and the C library's allocators keep
most of that memory for the process, so a Celery pool process that rendered
one report stays at the size of the largest report it ever made. The job
(``reports.services.report_run``) therefore runs in a fresh Python process
that exits when the report is done, which returns all of its memory: the
pool process only waits for it and stays at its baseline.

The child is ``python -m reports.rendering <report id> <parent pid>``. It
inherits the worker's environment (settings, database, media folder) and its
standard error (the worker's log). On standard output it writes one JSON
object: its peak memory and, if the job raised one of the transient errors
the task retries, what kind of error it was, which the parent raises again.
It dies with its parent: when Celery kills the pool process (a hard time
limit, a crash, ``kill -9``), the rendering stops too, and so does it when the
parent gives up waiting at a soft time limit.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

# Nothing here imports models at module level: the child imports this module
# before it sets Django up.

logger = logging.getLogger(__name__)


class ReportProcessError(Exception):
    """The rendering process ended without saying how the job went."""


@dataclass(frozen=True)
class ChildRun:
    """What the parent learnt of one rendering process."""

    pid: int
    seconds: float
    peak_mib: float


def report_run_isolated(*, report_id: int) -> ChildRun:
    """``report_run`` in a process of its own that exits after the job.

    The same contract as ``report_run``: transient errors propagate, so that
    the task retries them; any other failure (including Celery's soft time
    limit while waiting) marks the report failed with a reason people can read.
    """
    from .services import ReportTransientError, report_fail

    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "reports.rendering", str(report_id), str(os.getpid())],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        },
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    try:
        output, _stderr = process.communicate()
    except BaseException as exc:
        _stop(process)
        if isinstance(exc, Exception):
            logger.warning(
                "Report %s: rendering process %s stopped (%r)", report_id, process.pid, exc
            )
            report_fail(report_id=report_id, exc=exc)
            return ChildRun(pid=process.pid, seconds=time.monotonic() - started, peak_mib=0.0)
        raise
    seconds = time.monotonic() - started
    try:
        result: dict[str, Any] = json.loads(output.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        result = {}
    if process.returncode < 0 and not result:
        # Killed by a signal (most likely the kernel's out-of-memory killer):
        # worth another attempt, which the task's retry limit bounds.
        logger.warning(
            "Report %s: rendering process %s was stopped by signal %s",
            report_id,
            process.pid,
            -process.returncode,
        )
        with _report_language(report_id):
            raise ReportTransientError(
                _("the rendering process was stopped (signal %(signal)s).")
                % {"signal": -process.returncode}
            )
    if process.returncode != 0 or not result:
        with _report_language(report_id):
            exc = ReportProcessError(
                _("the rendering process ended with exit code %(code)s.")
                % {"code": process.returncode}
            )
        report_fail(report_id=report_id, exc=exc)
        return ChildRun(pid=process.pid, seconds=seconds, peak_mib=0.0)
    run = ChildRun(pid=process.pid, seconds=seconds, peak_mib=result.get("peak_kib", 0) / 1024)
    bound_mib = (settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD or 0) / 1024
    logger.log(
        logging.WARNING if bound_mib and run.peak_mib > bound_mib else logging.INFO,
        "Report %s: rendering process %s ended after %.1f s, peak memory %.0f MiB",
        report_id,
        run.pid,
        run.seconds,
        run.peak_mib,
    )
    if error := result.get("error"):
        raise _transient_error(error)
    return run


def _report_language(report_id: int) -> translation.override:
    """The reasons a report's orderer reads are worded in the report's language."""
    from .models import Report

    language = Report.objects.filter(pk=report_id).values_list("language", flat=True).first()
    return translation.override(language or settings.LANGUAGE_CODE)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()


# --- errors across the process boundary ---------------------------------------


def _error_entry(exc: BaseException) -> dict[str, Any]:
    """A transient error as JSON: enough to raise one that reads the same."""
    if isinstance(exc, OSError):
        return {"kind": "os", "errno": exc.errno, "strerror": exc.strerror, "message": str(exc)}
    if isinstance(exc, DatabaseError):
        return {"kind": "database", "message": str(exc)}
    return {"kind": "transient", "message": str(exc)}


def _transient_error(entry: dict[str, Any]) -> Exception:
    from .services import ReportTransientError

    if entry.get("kind") == "os":
        if entry.get("errno") is not None:
            return OSError(entry["errno"], entry.get("strerror") or entry.get("message", ""))
        return OSError(entry.get("message", ""))
    if entry.get("kind") == "database":
        return DatabaseError(entry.get("message", ""))
    return ReportTransientError(entry.get("message", ""))


# --- the child ----------------------------------------------------------------


def _die_with(parent: int) -> None:
    """End this process as soon as ``parent`` is gone."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # gone before the line above
        os._exit(1)
    if sys.platform.startswith("linux"):
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _peak_kib() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def main(argv: list[str]) -> int:
    report_id, parent = int(argv[0]), int(argv[1])
    _die_with(parent)
    # Standard output carries the result alone; anything printed goes to the log.
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from .services import TRANSIENT_ERRORS, report_run

    entry: dict[str, Any] = {}
    try:
        report_run(report_id=report_id)
    except TRANSIENT_ERRORS as exc:
        logger.warning("Report %s: transient error %r", report_id, exc)
        entry["error"] = _error_entry(exc)
    entry["peak_kib"] = _peak_kib()
    result.write(json.dumps(entry) + "\n")
    result.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
