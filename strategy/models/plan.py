"""Annual action plans of units: items, progress updates and comments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import clock
from ..access import access_for
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

    def commentable_by(self, user: AbstractBaseUser | AnonymousUser) -> AnnualPlanQuerySet:
        """Staff, heads and owners of the unit (or above it) and owners of the
        strategy comment on items; viewers only read."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        working = scope_q(user, "unit__path", roles=(Role.OWNER, Role.HEAD, Role.STAFF))
        owners = scope_q(user, "strategy__organisation__path", roles=(Role.OWNER,))
        return self.filter(working | owners)

    def approvable_by(self, user: AbstractBaseUser | AnonymousUser) -> AnnualPlanQuerySet:
        """Only owners of the strategy approve or return plans; a unit head does
        not approve their own plan."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(scope_q(user, "strategy__organisation__path", roles=(Role.OWNER,)))

    def headed_by(self, user: AbstractBaseUser | AnonymousUser) -> AnnualPlanQuerySet:
        """Plans of the units the user heads (their "My units")."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(scope_q(user, "unit__path", roles=(Role.HEAD,)))

    def current(self) -> AnnualPlanQuerySet:
        """Plans of their strategy's current year: ``clock.current_year(strategy)``
        in SQL, so that after the period ends its last year stays current."""
        year = Least(Greatest(Value(clock.today().year), F("strategy__period_start")), F("strategy__period_end"))
        return self.filter(year=year)

    def returned(self) -> AnnualPlanQuerySet:
        """Plans the owner sent back for changes, in a year that is still open."""
        return self.filter(status=AnnualPlan.Status.RETURNED, is_closed=False)

    def with_status_counts(self) -> AnnualPlanQuerySet:
        """Annotate ``n_<status>`` item counts and ``progress_sum`` in the same query."""
        counts = {
            f"n_{value}": Count("items", filter=Q(items__status=value)) for value in PlanItem.Status.values
        }
        return self.annotate(
            **counts,
            progress_sum=Sum("items__progress", filter=~Q(items__status__in=PlanItem.CLOSED_STATUSES)),
        )


def plan_rights(user: AbstractBaseUser | AnonymousUser, plan: AnnualPlan) -> tuple[bool, bool, bool]:
    """Whether ``user`` may edit, comment on and decide (approve or return)
    ``plan``, one they see: the rules of ``editable_by``, ``commentable_by``
    and ``approvable_by``, answered from the person's access object without
    a query (the plan's unit and its strategy's organisation are read with it)."""
    access = access_for(user)
    if not access.is_authenticated:
        return False, False, False
    if access.is_superuser:
        return True, True, True
    owner = access.reaches(plan.strategy.organisation, (Role.OWNER,))
    return (
        owner or access.reaches(plan.unit, (Role.HEAD, Role.OWNER)),
        owner or access.reaches(plan.unit, (Role.OWNER, Role.HEAD, Role.STAFF)),
        owner,
    )


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

    @property
    def accepts_plan_edits(self) -> bool:
        """What is done, by whom, with what budget and when may change only
        while the plan is being drafted (or was returned for changes)."""
        return not self.is_closed and self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def accepts_progress(self) -> bool:
        """Status and progress may be updated all year until the year is closed."""
        return not self.is_closed

    @property
    def can_be_submitted(self) -> bool:
        return self.accepts_plan_edits

    @property
    def can_be_decided(self) -> bool:
        """The owner approves or returns a submitted plan (or reopens an approved one)."""
        return not self.is_closed and self.status in (self.Status.SUBMITTED, self.Status.APPROVED)

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and self.status in (self.Status.DRAFT, self.Status.RETURNED)
            and self.deadline < clock.today()
        )

    def rollup_from_annotations(self) -> Rollup:
        """The roll-up from ``with_status_counts()`` annotations (no query)."""
        counts = {value: getattr(self, f"n_{value}", 0) or 0 for value in PlanItem.Status.values}
        return Rollup.from_counts(counts, progress_sum=getattr(self, "progress_sum", 0) or 0)


@dataclass
class Rollup:
    """Items per status, the mean progress and a traffic light for a set of items.

    Done items count as 100 % and cancelled items are left out of the progress
    and the light. The light always carries a text, never colour alone.
    """

    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    active: int = 0
    progress: int = 0

    @classmethod
    def from_counts(cls, counts: dict[str, int], *, progress_sum: int) -> Rollup:
        """``progress_sum`` is the sum of progress over items that are neither done nor cancelled."""
        total = sum(counts.values())
        active = total - counts.get(PlanItem.Status.CANCELLED, 0)
        done = counts.get(PlanItem.Status.DONE, 0)
        progress = round((progress_sum + 100 * done) / active) if active else 0
        return cls(counts=counts, total=total, active=active, progress=progress)

    @property
    def light(self) -> str:
        """"green", "amber", "red" or "grey" (no items)."""
        if not self.active:
            return "grey"
        delayed = self.counts.get(PlanItem.Status.DELAYED, 0)
        at_risk = self.counts.get(PlanItem.Status.AT_RISK, 0)
        if delayed / self.active > 0.25:
            return "red"
        if (delayed + at_risk) / self.active > 0.2:
            return "amber"
        return "green"

    @property
    def light_label(self) -> str:
        return str(
            {
                "green": _("On track"),
                "amber": _("Needs attention"),
                "red": _("Off track"),
                "grey": _("No items yet"),
            }[self.light]
        )

    def status_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for every status, in the order of the choices."""
        return [(value, str(label), self.counts.get(value, 0)) for value, label in PlanItem.Status.choices]


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def rollup(self) -> Rollup:
        """One query: items per status and their progress."""
        counts: dict[str, int] = {}
        progress_sum = 0
        for row in self.order_by().values("status").annotate(n=Count("pk"), p=Sum("progress")):
            counts[row["status"]] = row["n"]
            if row["status"] not in PlanItem.CLOSED_STATUSES:
                progress_sum += row["p"] or 0
        return Rollup.from_counts(counts, progress_sum=progress_sum)

    def rollup_by(self, field_name: str) -> dict[object, Rollup]:
        """One query: a roll-up per value of ``field_name`` (e.g. the focus area)."""
        raw: dict[object, tuple[dict[str, int], int]] = {}
        for row in self.order_by().values(field_name, "status").annotate(n=Count("pk"), p=Sum("progress")):
            counts, progress_sum = raw.setdefault(row[field_name], ({}, 0))
            counts[row["status"]] = row["n"]
            if row["status"] not in PlanItem.CLOSED_STATUSES:
                raw[row[field_name]] = (counts, progress_sum + (row["p"] or 0))
        return {key: Rollup.from_counts(counts, progress_sum=p) for key, (counts, p) in raw.items()}

    def open(self) -> PlanItemQuerySet:
        """Items that still need work: neither done nor cancelled, in a plan whose year is open."""
        return self.exclude(status__in=PlanItem.CLOSED_STATUSES).filter(plan__is_closed=False)

    def with_last_update(self) -> PlanItemQuerySet:
        """Annotate ``last_update_on``: the date of the item's latest progress
        update, or the day it was added to the plan if nobody has updated it.

        This, not ``updated_at``, is the item's "last update": ``updated_at``
        moves whenever the row is saved (a data load, a roll-over, an admin
        fix), while a progress update is someone saying where the item stands.
        """
        latest = (
            ProgressUpdate.objects.filter(item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(latest=Max("date"))
            .values("latest")
        )
        return self.annotate(
            last_update_on=Coalesce(Subquery(latest, output_field=models.DateField()), TruncDate("created_at"))
        )

    def stale(self, days: int | None = None, *, today: datetime.date | None = None) -> PlanItemQuerySet:
        """Open items nobody has updated for more than ``days`` (default
        SUUNTA_STALE_ITEM_DAYS), by ``last_update_on``, which it annotates."""
        days = settings.SUUNTA_STALE_ITEM_DAYS if days is None else days
        cutoff = (today or clock.today()) - datetime.timedelta(days=days)
        return self.open().with_last_update().filter(last_update_on__lt=cutoff)


class PlanItem(models.Model):
    """What a unit does about one action in one year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # Finished items: they stay behind at roll-over and need no reminders.
    CLOSED_STATUSES = ("done", "cancelled")
    # Fields that belong to the plan itself; they are frozen once it is submitted.
    PLAN_FIELDS = ("description", "budget", "responsible_person", "schedule")
    PROGRESS_FIELDS = ("status", "progress")

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
    # When the item was added to its plan: its "last update" until someone
    # records progress (see PlanItemQuerySet.with_last_update).
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    # Technical: moves on every save of the row. Not the item's "last update".
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

    objects = PlanItemQuerySet.as_manager()
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


class ReminderLog(models.Model):
    """That a head was reminded of stale items in the week starting ``period_start``.

    The unique constraint makes sending idempotent: two workers running the
    beat task at once cannot both insert the row, so a head gets one email a week.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("week starting"))
    item_count = models.PositiveIntegerField(_("items listed"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-period_start"]
        constraints = [models.UniqueConstraint(fields=["user", "period_start"], name="reminderlog_one_per_week")]

    def __str__(self) -> str:
        return f"{self.user} {self.period_start}"


class Profile(models.Model):
    """Per-user preferences that are not about membership: the language of the
    interface and of emails, and which emails to receive. Without a profile,
    emails use settings.LANGUAGE_CODE and every email is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="suunta_profile"
    )
    language = models.CharField(_("language of emails"), max_length=8, choices=settings.LANGUAGES, blank=True)
    weekly_reminders = models.BooleanField(
        _("weekly reminders about stale plan items"),
        default=True,
        db_default=True,
        help_text=_("A unit head gets at most one email a week listing the plan items nobody has updated."),
    )
    public = models.BooleanField(
        _("name shown on public pages"),
        default=False,
        db_default=False,
        help_text=_("Residents may see your name where you are named as responsible on the public pages."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


def user_language(user: object) -> str:
    """The language to write to ``user`` in: their profile's, else the site's default."""
    # A missing reverse one-to-one raises an AttributeError subclass.
    profile = getattr(user, "suunta_profile", None)
    return (profile.language if profile is not None else "") or settings.LANGUAGE_CODE
