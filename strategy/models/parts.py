"""Parts of a strategy that the first model had no home for: several visions,
values (guiding principles), objectives under a goal and stakeholders.

Real strategies carry them: most name values or guiding principles, some have
an external and an internal vision, goals break down into objectives, and
performance plans name their stakeholders.
"""

from __future__ import annotations

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .strategy import Action, Goal, Strategy


class Vision(models.Model):
    """A vision statement; a strategy may have several, each with a label
    such as "external" and "internal"."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="visions")
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("Optional, for example “external” or “internal”.")
    )
    text = models.TextField(_("vision"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return self.label or Truncator(self.text).words(10)


class Principle(models.Model):
    """A value or guiding principle (arvo, toimintaperiaate), optionally with
    points that say how it shows ("shows in leadership")."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="principles")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    points = models.TextField(_("points"), blank=True, help_text=_("One point per line."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def point_list(self) -> list[str]:
        return [line.strip().lstrip("-•").strip() for line in (self.points or "").splitlines() if line.strip()]


class Objective(models.Model):
    """An objective under a goal: a narrower, often measurable aim."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="objectives")
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["goal", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Stakeholder(models.Model):
    """Someone the strategy is for or made with: residents, partners, funders…"""

    class Kind(models.TextChoices):
        RESIDENTS = "residents", _("Residents and customers")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        AUTHORITY = "authority", _("Authority or decision-maker")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    role = models.TextField(_("role"), blank=True, help_text=_("What they do for the strategy or expect of it."))
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="stakeholders")
    actions = models.ManyToManyField(Action, verbose_name=_("actions"), blank=True, related_name="stakeholders")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return self.name
