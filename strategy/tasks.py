"""Celery tasks of the strategy app. Tasks are thin: ids in, a service call."""

from __future__ import annotations

from celery import shared_task


@shared_task
def ping() -> str:
    """A health check: `celery -A config call strategy.tasks.ping`."""
    return "pong"
