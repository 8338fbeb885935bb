"""Celery tasks of the indicators app: ids in, a service call."""

from __future__ import annotations

from celery import shared_task

from .models import ImportJob
from .services import import_job_apply, import_job_validate


@shared_task
def import_validate_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("strategy__organisation", "created_by").filter(pk=job_id).first()
    if job is not None:
        import_job_validate(job=job)


@shared_task
def import_apply_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("strategy__organisation", "created_by").filter(pk=job_id).first()
    if job is not None:
        import_job_apply(job=job)
