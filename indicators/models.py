"""Indicators (mittarit) with targets and measured values per year and unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategy.models import (
    Action,
    Direction,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    Role,
    Strategy,
    SustainableDevelopmentGoal,
    scope_q,
)
from strategy.models.strategy import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> IndicatorQuerySet:
        """Indicators of the strategies the user may see."""
        return self.filter(strategy__in=Strategy.objects.visible_to(user))


@dataclass(frozen=True)
class EntryRights:
    """Who may record values of a strategy's indicators.

    The strategy's owners enter totals, targets and every unit's values;
    a unit head (or an owner of a node above a unit) enters the values of the
    units under their membership. Staff and viewers enter nothing.
    """

    totals: bool
    unit_ids: frozenset[int]

    @property
    def any(self) -> bool:
        return self.totals or bool(self.unit_ids)

    @property
    def targets(self) -> bool:
        return self.totals

    def may_enter(self, unit_id: int | None) -> bool:
        return self.totals if unit_id is None else (self.totals or unit_id in self.unit_ids)


def entry_rights(*, user: AbstractBaseUser | AnonymousUser, strategy: Strategy) -> EntryRights:
    """The ``EntryRights`` of ``user`` in ``strategy`` (two queries)."""
    if not user.is_authenticated:
        return EntryRights(totals=False, unit_ids=frozenset())
    totals = Strategy.objects.owned_by(user).filter(pk=strategy.pk).exists()
    units = Organisation.objects.units().active().below(strategy.organisation)
    if not totals:
        units = units.filter(scope_q(user, "path", roles=(Role.HEAD, Role.OWNER)))
    return EntryRights(totals=totals, unit_ids=frozenset(units.values_list("pk", flat=True)))


class IndicatorKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric")
    QUALITATIVE = "qualitative", _("Qualitative: levels of a scale")


class Indicator(models.Model):
    """A measure of a strategy: what is counted, in which unit, and which way is better.

    A numeric indicator stores numbers. A qualitative one has an ordered scale
    (``levels``: not started / in progress / completed, or low / medium /
    high) and its targets, measured values and baseline store the ordinal of
    a level (0 for the lowest), so that the on-track rule can compare them;
    people only ever see the level's label (``services.indicator_value_display``).

    An indicator belongs to at most one part of its strategy: a perspective,
    goal, objective, focus area or action. The coarser links are kept in step
    with the finer one (an objective's goal and its perspective), so that the
    indicator list can group by any of them.
    """

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspective"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.NUMERIC)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    is_percentage = models.BooleanField(_("percentage (0–100)"), default=False)
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    data_source = models.CharField(_("data source"), max_length=250, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0, validators=[MaxValueValidator(6)])
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=6, null=True, blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("Agenda 2030 goals"), blank=True, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The optimistic lock of the strategy editor (see strategy.services_editor).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = IndicatorQuerySet.as_manager()
    # The history of the definition is registered in translation.py, once the
    # per-language fields exist.

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["strategy", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_at_most_6"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_qualitative(self) -> bool:
        return self.kind == IndicatorKind.QUALITATIVE

    @property
    def attached_to(self) -> Model | None:
        """The part the indicator belongs to: the finest one that is set."""
        return self.action or self.objective or self.focus_area or self.goal or self.perspective

    @property
    def scale(self) -> Scale:
        """The levels, written like a many-to-many relation (``scale.set(levels)``)
        so that the strategy editor saves them with the indicator."""
        return Scale(self)


class ScaleLevel(models.Model):
    """One level of a qualitative indicator's scale; ``ordinal`` 0 is the lowest."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="levels")
    ordinal = models.PositiveSmallIntegerField(_("ordinal"))
    label = models.CharField(_("level"), max_length=100)
    # The history is registered in translation.py, like the indicator's.

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["indicator", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["indicator", "ordinal"], name="scalelevel_unique_ordinal")]

    def __str__(self) -> str:
        return self.label


class Scale:
    """The scale of one indicator, with the two calls the editor's generic save makes."""

    def __init__(self, indicator: Indicator) -> None:
        self.indicator = indicator

    def all(self) -> list[ScaleLevel]:
        return list(self.indicator.levels.all())

    def set(self, levels: list[ScaleLevel]) -> None:
        """Make ``levels`` (unsaved, in order) the scale: ordinals 0..n-1 are
        updated in place (values keep pointing at the same ordinal) and
        levels beyond the new end are removed."""
        existing = {level.ordinal: level for level in self.indicator.levels.all()}
        for ordinal, new in enumerate(levels):
            level = existing.pop(ordinal, None) or ScaleLevel(indicator=self.indicator, ordinal=ordinal)
            texts = {f"label_{code}": getattr(new, f"label_{code}") for code, _name in settings.LANGUAGES}
            if level.pk is None or any(getattr(level, name) != text for name, text in texts.items()):
                for name, text in texts.items():
                    setattr(level, name, text)
                level.save()
        for level in existing.values():
            level.delete()
        # The prefetched levels, if any, are out of date now.
        getattr(self.indicator, "_prefetched_objects_cache", {}).pop("levels", None)


class Target(models.Model):
    """The value an indicator should reach in a year (optionally for one unit)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=6)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="indicator_targets"
    )
    # The optimistic lock of the entry grid: a cell's form carries the version it showed.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    # Who set which target and when; the indicator page lists it.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"], condition=Q(unit__isnull=False), name="target_unique_per_unit"
            ),
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True), name="target_unique_total"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class Measurement(models.Model):
    """A measured (actual) value of an indicator for a year (optionally for one unit)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("actual value"), max_digits=18, decimal_places=6)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="measurements"
    )
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    # The optimistic lock of the entry grid: a cell's form carries the version it showed.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    # Earlier values stay in the history when a value is corrected or removed.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "unit"], condition=Q(unit__isnull=False), name="measurement_unique_per_unit"
            ),
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(unit__isnull=True), name="measurement_unique_total"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class ImportJob(models.Model):
    """One spreadsheet upload: the file, its check and whether it was saved.

    The web request only stores the file (after ``importing.check_archive``);
    a Celery task checks it and another saves it once its uploader has seen
    the preview, reporting ``progress`` for the browser to poll. The rows that
    passed the check are kept in ``checked_rows`` so that saving need not read
    the file again. When the job ends (saved, refused, failed, cancelled or
    expired) the file is removed; the summary and the errors stay. ``errors``
    holds codes and parameters, not sentences, so that each reader sees them
    in their own language.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Checking")
        VALIDATED = "validated", _("Checked")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Saving")
        DONE = "done", _("Saved")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.QUEUED, Status.VALIDATING, Status.APPLYING)
    ENDED = (Status.INVALID, Status.DONE, Status.FAILED, Status.CANCELLED)

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    checked_rows = models.JSONField(_("checked rows"), default=dict, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="importjob_progress_at_most_100")]
        indexes = [models.Index(fields=["status", "status_changed_at"], name="importjob_status_since")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def has_ended(self) -> bool:
        return self.status in self.ENDED


__all__ = [
    "EntryRights",
    "ImportJob",
    "Indicator",
    "IndicatorKind",
    "IndicatorQuerySet",
    "Measurement",
    "Scale",
    "ScaleLevel",
    "Target",
    "entry_rights",
]
