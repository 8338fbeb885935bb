"""Celery tasks of the reports app: ids in, a service call.

A report is rendered in a process of its own that exits after the job
(``reports.rendering``), so that the pool process gives WeasyPrint's memory
back after every report; a task run eagerly renders in the calling process.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from . import services
from .rendering import report_run_isolated
from .services import TRANSIENT_ERRORS, report_fail, report_requeue


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=settings.SUUNTA_REPORT_MAX_RETRIES,
    retry_backoff=True,
    retry_backoff_max=settings.SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=False,
    # Below the broker's visibility timeout, so that a slow job is never
    # handed to a second worker while the first one is still rendering.
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
)
def render_report(self: Task, report_id: int) -> None:
    """Render report ``report_id``; running it twice does no harm."""
    try:
        if self.request.is_eager:
            # Run in the calling process (no worker to protect, and the order
            # may not be committed yet where the caller runs tasks eagerly).
            services.report_run(report_id=report_id)
        else:
            report_run_isolated(report_id=report_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            report_fail(report_id=report_id, exc=exc, attempts_exhausted=True)
            return
        report_requeue(report_id=report_id, exc=exc)
        raise


@shared_task(ignore_result=True)
def report_jobs_reap() -> dict[str, list[int]]:
    """From beat every few minutes: requeue or fail report jobs whose worker died."""
    result = services.report_jobs_reap()
    return {"requeued": result.requeued, "failed": result.failed}
