"""Celery tasks of the accessibility app: ids in, a service call."""

from __future__ import annotations

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def feedback_email_send_task(feedback_id: int) -> bool:
    from .services import feedback_email_send

    return feedback_email_send(feedback_id=feedback_id)
