"""Feedback on accessibility: stored, then emailed by the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Feedback


def feedback_submit(*, message: str, email: str, page: str, language: str) -> Feedback:
    """Store the feedback and have the worker email it once the row is committed."""
    from .tasks import feedback_email_send_task

    with transaction.atomic():
        feedback = Feedback.objects.create(
            message=message, email=email, page=page, language=language
        )
        transaction.on_commit(lambda: feedback_email_send_task.delay(feedback.pk))
    return feedback


def feedback_email_send(*, feedback_id: int) -> bool:
    """Email one feedback to SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL in the
    configured language. The row is claimed with a conditional UPDATE in the
    same transaction as the send: a task run twice sends once, and a failed
    send leaves it unclaimed for Celery's retry. False when already sent."""
    with transaction.atomic():
        claimed = Feedback.objects.filter(pk=feedback_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        feedback = Feedback.objects.get(pk=feedback_id)
        with translation.override(settings.SUUNTA_ACCESSIBILITY_FEEDBACK_LANGUAGE):
            subject = gettext("Suunta: feedback on accessibility")
            body = render_to_string(
                "accessibility/email/feedback.txt",
                {
                    "feedback": feedback,
                    "list_url": settings.SITE_URL.rstrip("/")
                    + reverse("accessibility-feedback-list"),
                },
            )
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [settings.SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL],
            reply_to=[feedback.email] if feedback.email else None,
        ).send()
    return True
