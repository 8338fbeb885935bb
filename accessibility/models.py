"""The accessibility statement that the Act on the Provision of Digital
Services (306/2019) asks for, and the feedback people send about it.

The operator's name, the feedback address and the supervisory authority come
from settings (they belong to the installation); the compliance status, the
dates and the known problems are data that a superuser keeps up to date in
Suunta's own page (``accessibility-edit``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Compliance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NOT = "not", _("not compliant")


class StatementQuerySet(models.QuerySet["Statement"]):
    def current(self) -> Statement:
        """The one statement (the data migration creates it; made again, dated
        today, if it was deleted)."""
        today = timezone.localdate()
        statement, _created = self.get_or_create(
            pk=Statement.SINGLETON_PK, defaults={"prepared_on": today, "reviewed_on": today}
        )
        return statement


class Statement(models.Model):
    """The statement's status and dates: one row, pk 1."""

    SINGLETON_PK = 1

    compliance = models.CharField(
        _("compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    prepared_on = models.DateField(_("prepared on"))
    reviewed_on = models.DateField(_("last reviewed on"))
    assessment = models.TextField(_("how accessibility was assessed"), blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="accessibility_statement_single_row"),
            models.CheckConstraint(
                condition=Q(reviewed_on__gte=F("prepared_on")),
                name="accessibility_reviewed_not_before_prepared",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Accessibility statement"))


class KnownProblem(models.Model):
    """Content that is not accessible: what, why, and how to get it anyway."""

    title = models.CharField(_("non-accessible content"), max_length=200)
    reason = models.TextField(_("reason"))
    workaround = models.TextField(_("workaround"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("known accessibility problem")
        verbose_name_plural = _("known accessibility problems")

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    """Feedback on accessibility from anyone, signed in or not."""

    MESSAGE_MAX_LENGTH = 4000

    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    email = models.EmailField(_("email address for the answer"), blank=True)
    page = models.CharField(_("page it concerns"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    # Set by the task when the email to the feedback address has gone out, so
    # that a task run twice sends one email.
    emailed_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return self.message[:60]
