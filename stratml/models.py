"""The import of a StratML file into a new strategy, as a job a worker runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation, Strategy


class StratmlImportJobQuerySet(models.QuerySet["StratmlImportJob"]):
    def of_user(self, user: object) -> StratmlImportJobQuerySet:
        """The jobs a person may look at: their own uploads."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(created_by=user)


class StratmlImportJob(models.Model):
    """One uploaded StratML file on its way to becoming a new strategy.

    The web request only stores the file (after checking its size); a worker
    reads it into ``plan`` (what will be created) and ``preview`` (counts,
    titles and the elements that cannot be mapped). Once the uploader has
    confirmed the preview, a worker creates the strategy from ``plan`` in one
    transaction. When the job ends the file is removed; ``errors`` keeps codes
    and parameters, so that each reader sees them in their own language.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READING = "reading", _("Reading")
        READY = "ready", _("Ready to import")
        INVALID = "invalid", _("Refused")
        APPLYING = "applying", _("Creating the strategy")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.QUEUED, Status.READING, Status.APPLYING)
    ENDED = (Status.INVALID, Status.DONE, Status.FAILED, Status.CANCELLED)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="stratml_imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    main_language = models.CharField(
        _("main language"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    file = models.FileField(_("file"), upload_to="stratml/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    plan = models.JSONField(_("plan"), default=dict, blank=True, editable=False)
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = StratmlImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("StratML import")
        verbose_name_plural = _("StratML imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
