"""Approved versions of a strategy: what the council decided, frozen.

The live rows of a strategy and its parts are the working copy that owners
edit; plans, indicators and reports keep pointing at them. Approving writes a
``StrategyVersion`` with a snapshot of the whole strategy (every part, every
language) as plain JSON. A version exists only once approved, and its
snapshot is never written again: the model refuses it and so does a database
trigger (migration ``0006_strategy_versions``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .strategy import Strategy


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    """The SHA-256 of a snapshot's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FrozenVersionError(Exception):
    """An attempt to change the snapshot of an approved version."""


class StrategyVersion(models.Model):
    """One approved version of a strategy: number 1, 2, … per strategy, the
    decision (date, body, reference) and the snapshot of the content that was
    approved."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="approved_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    approved_on = models.DateField(_("approved on"))
    decision_body = models.JSONField(
        _("approved by"), default=dict, help_text=_("The decision-making body per language (fi, sv, en).")
    )
    decision_reference = models.CharField(_("decision reference"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("snapshot"), editable=False)
    snapshot_sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved in Suunta by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        ordering = ["strategy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="strategy_version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="strategy_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.strategy_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Write a new version; an existing version's snapshot never changes."""
        if self.pk is not None or not self._state.adding:
            stored = StrategyVersion.objects.filter(pk=self.pk).values("snapshot", "snapshot_sha256").first()
            if stored is not None and (
                stored["snapshot"] != self.snapshot or stored["snapshot_sha256"] != self.snapshot_sha256
            ):
                raise FrozenVersionError(f"Version {self.number} of strategy {self.strategy_id} is frozen.")
        else:
            self.snapshot_sha256 = snapshot_sha256(self.snapshot)
        super().save(*args, **kwargs)

    @property
    def is_intact(self) -> bool:
        """Whether the stored snapshot still matches the SHA-256 taken when it was approved."""
        return snapshot_sha256(self.snapshot) == self.snapshot_sha256

    @property
    def decision_body_text(self) -> str:
        """The decision-making body in the reader's language, else in the first language that has it."""
        body = self.decision_body or {}
        for code in [get_language() or "", *settings.MODELTRANSLATION_LANGUAGES]:
            if body.get(code):
                return str(body[code])
        return ""


class ContentStamp(models.Model):
    """A value that changes whenever anything in a strategy's working copy
    changes: its own row, any part of the editor's registry or a link between
    parts. Database triggers (migration ``0010_content_stamp``) write a new
    random value in the same transaction as the change, whatever wrote it (a
    form, an import, a bulk update, a cascade), so a cache keyed by the stamp
    can never hand out content older than the working copy. Names the pages
    show from outside the strategy renew it too (``0011``): an organisation's
    name, and the title of a goal that the strategy's goals contribute to.

    A row of its own rather than a column of the strategy: a column would be
    written back with a stale value by every save of a strategy loaded
    earlier, and would enter snapshots and the strategy's history."""

    strategy = models.OneToOneField(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, primary_key=True, related_name="content_stamp"
    )
    value = models.CharField(_("content stamp"), max_length=32, editable=False)

    class Meta:
        verbose_name = _("content stamp")
        verbose_name_plural = _("content stamps")

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.value}"


class DataStamp(models.Model):
    """A value that changes whenever any row of a group of tables changes,
    such as every table of the maturity matrices and their results
    (``maturity``): database triggers of the group's migration write a new
    random value in the same transaction as the change, whatever wrote it.
    A page region drawn from those tables is cached by it
    (``strategy.fragments.data_stamp``) and is never stale. Coarser than
    ``ContentStamp`` (one value for the whole group, across strategies),
    for data that changes seldom next to how often it is read."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    value = models.CharField(_("stamp"), max_length=32, editable=False)

    class Meta:
        verbose_name = _("data stamp")
        verbose_name_plural = _("data stamps")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"

    @classmethod
    def value_of(cls, name: str) -> Subquery:
        """The stamp ``name`` as an expression, to read with another query's row."""
        return Subquery(cls.objects.filter(name=name).values("value")[:1])
