"""Celery tasks of the translations app: ids in, a service call."""

from __future__ import annotations

from celery import shared_task

from .services import import_check, translation_imports_fail_stale


@shared_task
def translation_import_check_task(job_id: int) -> None:
    import_check(job_id=job_id)


@shared_task
def translation_imports_fail_stale_task() -> int:
    return translation_imports_fail_stale()
