"""Celery tasks of the maturity app: thin, ids in, a service call."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def send_round_invitations(round_id: int) -> int:
    """Email the staff of a round's units their invitation to self-assess."""
    return services.round_invitations_send(round_id=round_id)
