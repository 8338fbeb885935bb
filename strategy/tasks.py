"""Celery tasks of the strategy app. Tasks are thin: ids in, a service call."""

from __future__ import annotations

from celery import shared_task


@shared_task
def ping() -> str:
    """A health check: `celery -A config call strategy.tasks.ping`."""
    return "pong"


@shared_task
def plan_reminders_send() -> int:
    """Daily from beat: email heads whose items went stale (at most once a week each)."""
    from .services import reminders_send

    return reminders_send()


@shared_task
def plan_event_notify(plan_id: int, event: str, actor_id: int | None = None) -> int:
    """After a plan is submitted, returned or approved: email the people who act next."""
    from .services import plan_event_notify as notify

    return notify(plan_id=plan_id, event=event, actor_id=actor_id)
