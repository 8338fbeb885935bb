"""The maturity matrix: levels by dimensions, yearly self-assessment rounds,
ratings, the unit's agreed levels and target levels."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from strategy import clock
from strategy.access import access_for
from strategy.models import Action, Organisation, Role, Section, Strategy, scope_q
from strategy.models.strategy import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from strategy.models.organisation import OrganisationQuerySet

    User = AbstractBaseUser | AnonymousUser


# Who may see and do what in the maturity pages, answered here and nowhere
# else. The views answer 404 for what a person may not see and 403 for what
# they see but may not do:
# - a model or a round is seen by whoever sees its strategy (``visible_to``)
#   and managed by the strategy's owners (``owned_by``);
# - a unit's result is read by the strategy's owners and by the members of
#   the unit or of an organisation above it (``units_readable_by``); its
#   agreed levels are recorded by the owners and its heads (``units_agreeable_by``);
# - a unit is assessed by the people who work in it, staff or head of the
#   unit itself (``units_assessable_by``), the ones a round invites.


def _unit_results_q(user: User, strategy_id: int, roles: tuple[str, ...] | None = None) -> Q:
    """Organisations whose maturity results in a strategy the user may read
    (with ``roles``: act on): all for the strategy's owners, else those under
    the user's memberships (with one of ``roles``)."""
    owner = Exists(Strategy.objects.owned_by(user).filter(pk=strategy_id))
    return Q(owner) | scope_q(user, "path", roles=roles)


def _assessor_unit_ids(user: User) -> list[int]:
    """The organisations where the user works as staff or head (not those below them)."""
    return [organisation.pk for organisation in access_for(user).organisations(ASSESSOR_ROLES)]


def result_units(user: User, strategy: Strategy) -> OrganisationQuerySet:
    """The units whose maturity results the user may read in ``strategy``."""
    return Organisation.objects.units().filter(_unit_results_q(user, strategy.pk))


class MaturityModelQuerySet(models.QuerySet["MaturityModel"]):
    def visible_to(self, user: User) -> MaturityModelQuerySet:
        """Models of the strategies the user sees."""
        return self.filter(strategy__in=Strategy.objects.visible_to(user))

    def owned_by(self, user: User) -> MaturityModelQuerySet:
        """Models the user may edit: those of the strategies they own."""
        return self.filter(strategy__in=Strategy.objects.owned_by(user))


class MaturityModel(models.Model):
    """A maturity matrix of a strategy (kypsyysmalli)."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="maturity_models")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects = MaturityModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("maturity model")
        verbose_name_plural = _("maturity models")
        ordering = ["strategy", "pk"]

    def __str__(self) -> str:
        return self.name

    def units_readable_by(self, user: User) -> OrganisationQuerySet:
        """Units of this model's rounds whose results and history the user may read."""
        units = Organisation.objects.filter(assessment_rounds__model=self).distinct()
        return units.filter(_unit_results_q(user, self.strategy_id))


class Level(models.Model):
    """A column of the matrix: ordinal 1..n and a name per language."""

    model = models.ForeignKey(MaturityModel, verbose_name=_("maturity model"), on_delete=models.CASCADE, related_name="levels")
    ordinal = models.PositiveSmallIntegerField(_("ordinal"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["model", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["model", "ordinal"], name="level_unique_ordinal"),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="level_ordinal_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal} {self.name}"


class Dimension(models.Model):
    """A row of the matrix, usually one section of the strategy."""

    model = models.ForeignKey(MaturityModel, verbose_name=_("maturity model"), on_delete=models.CASCADE, related_name="dimensions")
    section = models.ForeignKey(
        Section, verbose_name=_("strategy section"), on_delete=models.SET_NULL, null=True, blank=True, related_name="dimensions"
    )
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=250)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions that raise the level"), blank=True, related_name="maturity_dimensions"
    )

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["model", "order", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Criterion(models.Model):
    """What a cell of the matrix means: a dimension at a level."""

    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="criteria")
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(_("criteria"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["dimension", "level__ordinal"]
        constraints = [models.UniqueConstraint(fields=["dimension", "level"], name="criterion_unique_cell")]

    def __str__(self) -> str:
        return f"{self.dimension} / {self.level}"


class AssessmentRoundQuerySet(models.QuerySet["AssessmentRound"]):
    def of_strategy(self, strategy: Strategy) -> AssessmentRoundQuerySet:
        return self.filter(model__strategy=strategy)

    def visible_to(self, user: User) -> AssessmentRoundQuerySet:
        """Rounds of the strategies the user sees (their heat map is shown to all of them)."""
        return self.filter(model__strategy__in=Strategy.objects.visible_to(user))

    def owned_by(self, user: User) -> AssessmentRoundQuerySet:
        """Rounds the user may follow, close and export: those of the strategies they own."""
        return self.filter(model__strategy__in=Strategy.objects.owned_by(user))

    def inviting(self, user: User) -> AssessmentRoundQuerySet:
        """Open rounds with a unit in which the user works (staff or head of the unit itself)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(status=AssessmentRound.Status.OPEN, units__in=_assessor_unit_ids(user)).distinct()


# Who is invited to assess a unit: the people who work in it.
ASSESSOR_ROLES = (Role.STAFF, Role.HEAD)


class AssessmentRound(models.Model):
    """A yearly round of self-assessment for a set of units."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    model = models.ForeignKey(MaturityModel, verbose_name=_("maturity model"), on_delete=models.CASCADE, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    units = models.ManyToManyField(Organisation, verbose_name=_("units"), related_name="assessment_rounds")
    opens = models.DateField(_("opens"))
    closes = models.DateField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("When unticked, the strategy owner sees who answered what.")
    )
    min_respondents = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=3,  # a new round takes settings.SUUNTA_MATURITY_MIN_RESPONDENTS (see round_open)
        help_text=_("Distributions of fewer answers are hidden."),
    )

    objects = AssessmentRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["model", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["model", "year"], name="round_unique_year"),
            models.CheckConstraint(condition=Q(closes__gte=F("opens")), name="round_closes_not_before_opens"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.year}"

    def accepts_answers(self, today: datetime.date | None = None) -> bool:
        """Answers may be saved while the round is open and its closing day has not passed."""
        today = today or clock.today()
        return self.status == self.Status.OPEN and self.opens <= today <= self.closes

    def not_open_yet(self, today: datetime.date | None = None) -> bool:
        """Open, but its first day has not come."""
        return self.status == self.Status.OPEN and (today or clock.today()) < self.opens

    def units_readable_by(self, user: User) -> OrganisationQuerySet:
        """The round's units whose results the user may read."""
        return self.units.filter(_unit_results_q(user, self.model.strategy_id))

    def units_agreeable_by(self, user: User) -> OrganisationQuerySet:
        """The round's units whose agreed levels the user may record: owners and the units' heads."""
        return self.units.filter(_unit_results_q(user, self.model.strategy_id, roles=(Role.HEAD,)))

    def units_assessable_by(self, user: User) -> OrganisationQuerySet:
        """The round's units the user is invited to assess: where they work as staff or head."""
        return self.units.filter(pk__in=_assessor_unit_ids(user))

    def assessable_by(self, user: User, unit: Organisation) -> bool:
        """Whether ``user`` is invited to assess ``unit``, one of the round's
        units (as ``units_assessable_by``, answered without a query)."""
        return unit.pk in _assessor_unit_ids(user)


class SelfAssessment(models.Model):
    """One person's assessment of one unit in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("self-assessment", "Submitted")

    round = models.ForeignKey(AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="self_assessments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "person"], name="selfassessment_one_per_person_unit_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit} {self.person}"


class Rating(models.Model):
    """The level one person gives one dimension, and why."""

    assessment = models.ForeignKey(SelfAssessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="ratings")
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="ratings")
    justification = models.TextField(_("justification"), blank=True)

    # An answer changed after the discussion keeps its earlier level and reason.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["assessment", "dimension"], name="rating_one_per_dimension")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.level}"


class AgreedLevel(models.Model):
    """The level a unit head records for the unit after discussing the answers."""

    round = models.ForeignKey(AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="agreed_levels")
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agreed_levels")
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="agreed_levels")
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="agreed_levels")
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    # The unit result page lists who agreed which level and what it was before.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed level")
        verbose_name_plural = _("agreed levels")
        constraints = [models.UniqueConstraint(fields=["round", "unit", "dimension"], name="agreedlevel_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.dimension}: {self.level}"


class TargetLevel(models.Model):
    """The level a dimension should reach by a year (for one unit or the whole sector)."""

    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="target_levels")
    unit = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="target_levels"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="target_levels")

    # Who moved a unit's target, and from which level.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "unit", "year"], condition=Q(unit__isnull=False), name="targetlevel_unique_unit"),
            models.UniqueConstraint(fields=["dimension", "year"], condition=Q(unit__isnull=True), name="targetlevel_unique_total"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.year}: {self.level}"
