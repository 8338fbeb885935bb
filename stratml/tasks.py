"""Celery tasks of the StratML import: ids in, a service call."""

from __future__ import annotations

from celery import shared_task

from .services import stratml_import_apply, stratml_import_jobs_fail_stale, stratml_import_preview


@shared_task
def stratml_import_preview_task(job_id: int) -> None:
    stratml_import_preview(job_id=job_id)


@shared_task
def stratml_import_apply_task(job_id: int) -> None:
    stratml_import_apply(job_id=job_id)


@shared_task
def stratml_import_jobs_fail_stale_task() -> int:
    """Run by beat every few minutes (``CELERY_BEAT_SCHEDULE["stratml-stale-jobs"]``)."""
    return stratml_import_jobs_fail_stale()
