"""Annual action plans of units: items, progress updates and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisation import Organisation, Role, scope_q
from .strategy import YEAR_VALIDATORS, Action, Strategy

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class AnnualPlanQuerySet(models.QuerySet["AnnualPlan"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> AnnualPlanQuerySet:
        """Members of the plan's unit (or above it) see every plan; owners of
        the strategy see every plan of it; viewers see approved plans only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        working = scope_q(user, "unit__path", roles=(Role.OWNER, Role.HEAD, Role.STAFF))
        owners = scope_q(user, "strategy__organisation__path", roles=(Role.OWNER,))
        viewers = scope_q(user, "unit__path", roles=(Role.VIEWER,)) | scope_q(
            user, "strategy__organisation__path", roles=(Role.VIEWER,)
        )
        return self.filter(working | owners | (viewers & Q(status=AnnualPlan.Status.APPROVED)))

    def editable_by(self, user: AbstractBaseUser | AnonymousUser) -> AnnualPlanQuerySet:
        """Heads edit the plans of their units and the units below them;
        owners edit every plan of their strategies."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        heads = scope_q(user, "unit__path", roles=(Role.HEAD, Role.OWNER))
        owners = scope_q(user, "strategy__organisation__path", roles=(Role.OWNER,))
        return self.filter(heads | owners)


class AnnualPlan(models.Model):
    """A unit's annual action plan (toimintasuunnitelma) for one year of a strategy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_closed = models.BooleanField(_("year closed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)

    objects = AnnualPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual action plan")
        verbose_name_plural = _("annual action plans")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "unit", "year"], name="annualplan_unique_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class PlanItem(models.Model):
    """What a unit does about one action in one year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="plan_items")
    description = models.TextField(_("what is done this year"), blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    year_end_assessment = models.TextField(_("year-end assessment"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "action"], name="planitem_unique_action"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="planitem_progress_0_100"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="planitem_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.action}"


class ProgressUpdate(models.Model):
    """A dated note on a plan item's progress."""

    item = models.ForeignKey(PlanItem, verbose_name=_("plan item"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=PlanItem.Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="progressupdate_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.date}"


class PlanComment(models.Model):
    """A comment by staff or heads on a plan item (strategy work in dialogue)."""

    item = models.ForeignKey(PlanItem, verbose_name=_("plan item"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
