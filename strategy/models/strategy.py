"""A strategy document and its parts: sections, target states, choices,
perspectives, goals, spearheads, focus areas and actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from strategy.access import access_for

from .organisation import Organisation, Role, scope_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class Direction(models.TextChoices):
    """Which way a goal or an indicator should move."""

    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class StrategyQuerySet(models.QuerySet["Strategy"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> StrategyQuerySet:
        """Approved and archived strategies are public to signed-in users;
        a draft only to the readers of ``drafts_visible_to``."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(Q(status__in=[Strategy.Status.APPROVED, Strategy.Status.ARCHIVED]) | self._members_q(user))

    def published(self) -> StrategyQuerySet:
        """What residents see without signing in: approved strategies that an
        owner has published, of organisations still in use. Their content is
        read from the approved version, never from unapproved edits."""
        return self.filter(status=Strategy.Status.APPROVED, published=True, organisation__is_active=True)

    def drafts_visible_to(self, user: AbstractBaseUser | AnonymousUser) -> StrategyQuerySet:
        """Strategies whose drafts and unapproved changes the user may read:
        members of the organisation's subtree and members of the
        organisations above it (a city's owner reads a sector's draft)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(self._members_q(user))

    @staticmethod
    def _members_q(user: AbstractBaseUser | AnonymousUser) -> Q:
        below = scope_q(user, "organisation__path")
        ancestors = access_for(user).ancestor_ids()
        return below | Q(organisation_id__in=sorted(ancestors)) if ancestors else below

    def owned_by(self, user: AbstractBaseUser | AnonymousUser) -> StrategyQuerySet:
        """Strategies the user may change: owner role at or above their organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(scope_q(user, "organisation__path", roles=(Role.OWNER,)))


def strategy_visible(user: AbstractBaseUser | AnonymousUser, strategy: Strategy) -> bool:
    """Whether ``user`` sees ``strategy``: the rule of ``visible_to`` (and of
    ``drafts_visible_to`` for a draft), answered from the person's access
    object without a query (the strategy's organisation is read with it)."""
    access = access_for(user)
    if not access.is_authenticated:
        return False
    if access.is_superuser or strategy.status in (Strategy.Status.APPROVED, Strategy.Status.ARCHIVED):
        return True
    organisation = strategy.organisation
    return access.reaches(organisation) or organisation.pk in access.ancestor_ids()


def get_strategy_for_user(request: HttpRequest, slug: str) -> Strategy:
    """The one way views fetch a strategy by a user-supplied slug: a strategy
    the person may not see (``strategy_visible``, the rule of ``visible_to``)
    is a 404. The slug alone makes a query that costs less to build than
    the person's whole reach in SQL; every page reads its strategy first."""
    strategy = get_object_or_404(Strategy.objects.select_related("organisation", "parent"), slug=slug)
    if not strategy_visible(request.user, strategy):
        raise Http404
    return strategy


class Strategy(models.Model):
    """A strategy of one organisation for a period of years; it may cascade
    from a parent strategy (city → sector → unit)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(_("title"), max_length=250)
    motto = models.CharField(_("motto"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    period_start = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    period_end = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent strategy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    main_language = models.CharField(
        _("main language"), max_length=2, choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))], default="fi"
    )
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Why we exist."))
    introduction = models.TextField(_("introduction"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    decision_body = models.CharField(
        _("approved by"), max_length=200, blank=True, db_default="", help_text=_("For example “Kaupunginvaltuusto”.")
    )
    decision_reference = models.CharField(
        _("decision reference"), max_length=100, blank=True, db_default="", help_text=_("For example “14.6.2022 § 57”.")
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        db_default=False,
        help_text=_("Residents see the approved strategy and its progress on the public pages, without signing in."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="strategy_period_end_not_before_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_start}–{self.period_end}"

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)


class Section(models.Model):
    """A chapter of the strategy document ("1 Visio ja tavoitetila 2027")."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["strategy", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="section_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TargetState(models.Model):
    """A named statement of where the organisation wants to be (tavoitetila)."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="target_states")
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("target state")
        verbose_name_plural = _("target states")
        ordering = ["strategy", "order"]

    def __str__(self) -> str:
        return self.title


class StrategicChoice(models.Model):
    """One strategic choice: a theme answering a question, stated as trade-offs
    ("We invest in X more than Y") with a one-line summary."""

    class Group(models.TextChoices):
        EXTERNAL = "external", _("External: what we do")
        INTERNAL = "internal", _("Internal: how we do it")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="choices")
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    theme = models.CharField(_("theme"), max_length=120)
    question = models.TextField(_("question"), blank=True)
    invest_in = models.TextField(_("we invest in"), blank=True)
    more_than = models.TextField(_("more than"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("strategic choice")
        verbose_name_plural = _("strategic choices")
        ordering = ["strategy", "order"]

    def __str__(self) -> str:
        return self.theme


class TradeOff(models.Model):
    """A further "we invest in X more than Y" statement of a choice; some
    choices state two trade-offs (Lahti's value creation, competence, work culture)."""

    choice = models.ForeignKey(StrategicChoice, verbose_name=_("strategic choice"), on_delete=models.CASCADE, related_name="trade_offs")
    invest_in = models.TextField(_("we invest in"))
    more_than = models.TextField(_("more than"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("trade-off")
        verbose_name_plural = _("trade-offs")
        ordering = ["choice", "order"]

    def __str__(self) -> str:
        return self.invest_in[:60]


class Perspective(models.Model):
    """A viewpoint from which goals are set (näkökulma), or a steering-table parameter."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="perspectives")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["strategy", "order"]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """A goal: a measurable change with a direction (päätavoite)."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="goals")
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspective"), on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    direction = models.CharField(_("desired direction"), max_length=10, choices=Direction.choices, blank=True)
    contributes_to = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("The goal of the parent strategy this goal serves."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["strategy", "order"]

    def __str__(self) -> str:
        return self.title


class SpearheadProgramme(models.Model):
    """A spearhead programme (strateginen kärki)."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="spearheads")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="spearheads")
    focus_areas = models.ManyToManyField(
        "FocusArea", verbose_name=_("focus areas"), blank=True, related_name="spearheads"
    )
    actions = models.ManyToManyField("Action", verbose_name=_("actions"), blank=True, related_name="spearheads")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("spearhead programme")
        verbose_name_plural = _("spearhead programmes")
        ordering = ["strategy", "order"]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    """A focus area (painopistealue) with a description and planned actions."""

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="focus_areas")
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.SET_NULL, null=True, blank=True, related_name="focus_areas"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["strategy", "order", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class SustainableDevelopmentGoal(models.Model):
    """One of the UN's 17 Agenda 2030 goals."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Action(models.Model):
    """A planned action (toimenpide) of a focus area and/or a goal."""

    class Horizon(models.TextChoices):
        SHORT = "short", _("Short term (about 1 year)")
        MEDIUM = "medium", _("Medium term (3–5 years)")
        LONG = "long", _("Long term")

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="actions")
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    objective = models.ForeignKey(
        "Objective", verbose_name=_("objective"), on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_units = models.ManyToManyField(
        Organisation, verbose_name=_("responsible units"), blank=True, related_name="responsible_for"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True, validators=YEAR_VALIDATORS)
    horizon = models.CharField(_("roadmap horizon"), max_length=10, choices=Horizon.choices, blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("Agenda 2030 goals"), blank=True, related_name="actions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["strategy", "focus_area__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="action_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="action_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title
