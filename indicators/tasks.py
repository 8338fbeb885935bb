"""Celery tasks of the indicators app: ids in, a service call."""

from __future__ import annotations

from celery import shared_task

from .services import import_job_apply, import_job_validate, import_jobs_fail_stale


@shared_task
def import_validate_task(job_id: int) -> None:
    import_job_validate(job_id=job_id)


@shared_task
def import_apply_task(job_id: int) -> None:
    import_job_apply(job_id=job_id)


@shared_task
def import_jobs_fail_stale_task() -> int:
    """Run by beat every few minutes (``CELERY_BEAT_SCHEDULE["import-stale-jobs"]``)."""
    return import_jobs_fail_stale()
