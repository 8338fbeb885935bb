"""Indicators (mittarit) with targets and measured values per year and unit."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategy.models import Direction, FocusArea, Goal, Organisation, Perspective, Strategy, SustainableDevelopmentGoal
from strategy.models.strategy import YEAR_VALIDATORS


class Indicator(models.Model):
    """A measure of a strategy: what is counted, in which unit, and which way is better."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspective"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
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

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["strategy", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_at_most_6"),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The value an indicator should reach in a year (optionally for one unit)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=6)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="indicator_targets"
    )

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


__all__ = ["Indicator", "Measurement", "Target"]
