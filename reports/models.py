"""Council reports: each rendering is an immutable, checksummed version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation, Role, Strategy, scope_q
from strategy.models.strategy import YEAR_VALIDATORS

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.strategy_id}/{report.pk or 'new'}-v{report.version}-{filename}"


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ReportQuerySet:
        """Whoever sees a strategy sees its whole-strategy reports; a unit's
        report is seen by members at or above that unit and by the strategy's owners."""
        if not user.is_authenticated:
            return self.none()
        visible = self.filter(strategy__in=Strategy.objects.visible_to(user))
        if user.is_superuser:
            return visible
        return visible.filter(
            Q(unit__isnull=True)
            | scope_q(user, "unit__path")
            | scope_q(user, "strategy__organisation__path", roles=(Role.OWNER,))
        )

    def orderable_by(self, user: AbstractBaseUser | AnonymousUser) -> ReportQuerySet:
        """Reports the user may order again as a new version: the same rule as
        ``reports.forms.orderable_units`` (owners any report of their
        strategies; unit heads the reports of their own units)."""
        visible = self.visible_to(user)
        if not user.is_authenticated or user.is_superuser:
            return visible
        return visible.filter(
            Q(strategy__in=Strategy.objects.owned_by(user))
            | Q(unit__isnull=False) & scope_q(user, "unit__path", roles=(Role.HEAD,))
        )


    def publishable_by(self, user: AbstractBaseUser | AnonymousUser) -> ReportQuerySet:
        """Reports the user may put on the public pages or take off them:
        those the user sees, of the strategies they own."""
        return self.visible_to(user).filter(strategy__in=Strategy.objects.owned_by(user))


class Report(models.Model):
    """An annual (or council-term) report of a strategy, rendered to PDF by a worker.

    A finished report never changes: its file, its sha256 and the data it was
    rendered from (``snapshot``) stay as they were; rendering again makes a
    new version.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        """Failures whose reason is worded when it is shown, in the reader's
        language (``reason``); other failures keep their text in ``error``."""

        WORKER_LOST = "worker_lost", _("The worker stopped while rendering")
        NOT_PICKED_UP = "not_picked_up", _("No worker took the job")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit scope"), on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    snapshot = models.JSONField(_("data snapshot"), null=True, blank=True, editable=False)
    error = models.TextField(_("reason for failure"), blank=True)
    failure = models.CharField(_("kind of failure"), max_length=20, choices=Failure.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the reaper (services.report_jobs_reap) queued a stalled job
    # again; it does that at most once per report.
    requeued_at = models.DateTimeField(_("queued again at"), null=True, blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        db_default=False,
        help_text=_("Residents may download this report from the public pages."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=F("year")), name="report_to_year_not_before_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy} {self.years_display} ({self.language}) v{self.version}"

    @property
    def is_pending(self) -> bool:
        """Still waiting for or in the hands of a worker."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def reason(self) -> str:
        """Why the report failed, in the active language (the reader's, not the report's)."""
        if self.failure == self.Failure.WORKER_LOST:
            return _(
                "The worker stopped while rendering this report (no result %(minutes)s minutes after it "
                "started). Render it again."
            ) % {"minutes": self._minutes_since(self.started_at)}
        if self.failure == self.Failure.NOT_PICKED_UP:
            return _(
                "No worker took this report up (it waited %(minutes)s minutes; the job was probably lost). "
                "Render it again."
            ) % {"minutes": self._minutes_since(self.requeued_at or self.requested_at)}
        if self.status == self.Status.QUEUED and self.requeued_at and not self.error:
            return _("A worker stopped before this report was ready; it has been queued again.")
        return self.error

    def _minutes_since(self, start: datetime | None) -> int:
        if start is None or self.finished_at is None:
            return 0
        return round((self.finished_at - start).total_seconds() / 60)

    @property
    def years_display(self) -> str:
        return f"{self.year}\u2013{self.to_year}" if self.to_year else str(self.year)
