"""What Suunta remembers about translations: which source text each
translation was written or confirmed against, and uploaded translation files.

A translation's status is read, never stored (see ``translations.texts``):
it is *missing* when the translated column is empty, *outdated* when a mark
exists whose digest differs from the digest of the source text as it is now,
and *up to date* otherwise. A translation without a mark counts as up to
date: texts written before marks existed (and the demo's) were written
against their source.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategy.models import Strategy


class TranslationMark(models.Model):
    """The digest of the source text that one translated field was written
    or confirmed against. ``strategy`` lets a strategy's marks be read in one
    query (and go with it)."""

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.CASCADE,
        related_name="translation_marks",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of text"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    field = models.CharField(_("field"), max_length=50)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    source_digest = models.CharField(_("digest of the source text"), max_length=64)
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("translation mark")
        verbose_name_plural = _("translation marks")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translationmark_one_per_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}.{self.object_id}.{self.field} [{self.language}]"


class TranslationImport(models.Model):
    """One uploaded translation file (XLSX or XLIFF) for one language.

    The web request stores the file; the worker reads it and stores in
    ``preview`` what applying it would change and which rows it refuses
    (rows whose source text changed since the export). The file is removed
    once read. Applying writes the previewed changes, all or nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKED = "checked", _("Checked")
        REFUSED = "refused", _("Has refused rows")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Saved")

    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.CASCADE,
        related_name="translation_imports",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="translation-imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation import")
        verbose_name_plural = _("translation imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
