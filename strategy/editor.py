"""The kinds of parts a strategy owner edits in the strategy editor, each
described once: its model, form, parent, ordering scope, what blocks its
removal and what its removal takes along.

Views and services are generic over this registry, so a new kind of part is
one entry here and one form in ``editor_forms``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from indicators.models import Indicator

from . import editor_forms as forms
from .models import (
    Action,
    FocusArea,
    Goal,
    Objective,
    Perspective,
    PlanItem,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)

if TYPE_CHECKING:
    from .editor_forms import PartForm


@dataclass(frozen=True)
class PartKind:
    """One kind of strategy part.

    ``parent`` is the field that ties a part to what it belongs to: the
    strategy itself, or a goal (objectives) or a choice (trade-offs).
    ``scope`` are the fields whose equal values make siblings: moves swap
    ``order`` among them. ``region`` is the editor section that lists the
    kind (objectives are listed under their goals, so they share its region).
    """

    key: str
    model: type[Model]
    form_class: type[PartForm]
    label: Promise
    plural: Promise
    parent: str = "strategy"
    scope: tuple[str, ...] = ("strategy",)
    region: str = ""
    uses: Callable[[Any], list[str]] = lambda obj: []
    removes_with: Callable[[Any], list[str]] = lambda obj: []

    @property
    def region_key(self) -> str:
        return self.region or self.key

    @property
    def parent_model(self) -> type[Model] | None:
        """The model of the parent when it is not the strategy itself."""
        if self.parent == "strategy":
            return None
        return self.model._meta.get_field(self.parent).related_model  # type: ignore[return-value]

    def of_strategy(self, strategy: Strategy) -> QuerySet[Any]:
        """Every part of this kind that belongs to ``strategy``."""
        if self.parent == "strategy":
            return self.model._default_manager.filter(strategy=strategy)
        return self.model._default_manager.filter(**{f"{self.parent}__strategy": strategy})

    def parents_of(self, strategy: Strategy) -> QuerySet[Any]:
        """The possible parents within ``strategy`` (for goal- or choice-bound kinds)."""
        parent_model = self.parent_model
        assert parent_model is not None
        return parent_model._default_manager.filter(strategy=strategy)

    def siblings(self, obj: Model) -> QuerySet[Any]:
        """The parts that ``obj`` is ordered among, in their shown order."""
        scope = {name: getattr(obj, f"{name}_id") for name in self.scope}
        ordering = [*self.model._meta.ordering, "pk"]
        return self.model._default_manager.filter(**scope).order_by(*ordering)

    def url_args(self, strategy: Strategy, obj: Model | None = None) -> list[Any]:
        return [strategy.slug, self.key] if obj is None else [strategy.slug, self.key, obj.pk]


def _plan_uses(items: QuerySet[PlanItem]) -> list[str]:
    rows = items.select_related("plan__unit", "action").order_by("plan__year", "plan__unit__name", "pk")
    return [
        _("Plan of %(unit)s %(year)s, item “%(item)s”")
        % {"unit": item.plan.unit.name, "year": item.plan.year, "item": item.action.title}
        for item in rows
    ]


def _indicator_uses(**lookup: Any) -> list[str]:
    return [_("Indicator “%(name)s”") % {"name": indicator.name} for indicator in Indicator.objects.filter(**lookup)]


def _measured_values(indicator: Any) -> list[str]:
    """What keeps an indicator: its measured values ("12 measured values 2022–2025")."""
    years = list(indicator.measurements.values_list("year", flat=True))
    if not years:
        return []
    return [
        ngettext("%(count)s measured value %(years)s", "%(count)s measured values %(years)s", len(years))
        % {"count": len(years), "years": forms.year_span(years)}
    ]


def _targets(indicator: Any) -> list[str]:
    years = list(indicator.targets.values_list("year", flat=True))
    if not years:
        return []
    count = len(years)
    return [ngettext("%(count)s target %(years)s", "%(count)s targets %(years)s", count) % {"count": count, "years": forms.year_span(years)}]


def _contribution_uses(goal: Goal) -> list[str]:
    return [
        _("Goal “%(goal)s” of %(strategy)s contributes to it") % {"goal": child.title, "strategy": child.strategy.title}
        for child in goal.contributions.select_related("strategy")
    ]


def _goal_uses(goal: Goal) -> list[str]:
    items = PlanItem.objects.filter(Q(action__goal=goal) | Q(action__objective__goal=goal)).distinct()
    return _plan_uses(items) + _indicator_uses(goal=goal) + _contribution_uses(goal)


def _named(prefix: str, objects: QuerySet[Any]) -> list[str]:
    return [prefix % {"name": str(obj)} for obj in objects]


KINDS: dict[str, PartKind] = {
    kind.key: kind
    for kind in [
        PartKind("vision", Vision, forms.VisionForm, gettext_lazy("vision"), gettext_lazy("Visions")),
        PartKind("principle", Principle, forms.PrincipleForm, gettext_lazy("value"), gettext_lazy("Values")),
        PartKind("section", Section, forms.SectionForm, gettext_lazy("section"), gettext_lazy("Sections of the document")),
        PartKind(
            "target-state", TargetState, forms.TargetStateForm, gettext_lazy("target state"), gettext_lazy("Target states")
        ),
        PartKind(
            "choice",
            StrategicChoice,
            forms.StrategicChoiceForm,
            gettext_lazy("strategic choice"),
            gettext_lazy("Strategic choices"),
            removes_with=lambda choice: _named(_("Trade-off “%(name)s”"), choice.trade_offs.all()),
        ),
        PartKind(
            "trade-off",
            TradeOff,
            forms.TradeOffForm,
            gettext_lazy("trade-off"),
            gettext_lazy("Trade-offs"),
            parent="choice",
            scope=("choice",),
            region="choice",
        ),
        PartKind(
            "perspective",
            Perspective,
            forms.PerspectiveForm,
            gettext_lazy("perspective"),
            gettext_lazy("Perspectives"),
            uses=lambda perspective: _indicator_uses(perspective=perspective),
        ),
        PartKind(
            "goal",
            Goal,
            forms.GoalForm,
            gettext_lazy("goal"),
            gettext_lazy("Goals and objectives"),
            uses=_goal_uses,
            removes_with=lambda goal: _named(_("Objective “%(name)s”"), goal.objectives.all()),
        ),
        PartKind(
            "objective",
            Objective,
            forms.ObjectiveForm,
            gettext_lazy("objective"),
            gettext_lazy("Objectives"),
            parent="goal",
            scope=("goal",),
            region="goal",
            uses=lambda objective: _plan_uses(PlanItem.objects.filter(action__objective=objective))
            + _indicator_uses(objective=objective),
        ),
        PartKind(
            "spearhead",
            SpearheadProgramme,
            forms.SpearheadForm,
            gettext_lazy("spearhead programme"),
            gettext_lazy("Spearhead programmes"),
        ),
        PartKind(
            "focus-area",
            FocusArea,
            forms.FocusAreaForm,
            gettext_lazy("focus area"),
            gettext_lazy("Focus areas and actions"),
            uses=lambda area: _plan_uses(PlanItem.objects.filter(action__focus_area=area))
            + _indicator_uses(focus_area=area),
            removes_with=lambda area: _named(_("Action “%(name)s”"), area.actions.all()),
        ),
        PartKind(
            "action",
            Action,
            forms.ActionForm,
            gettext_lazy("action"),
            gettext_lazy("Actions"),
            scope=("strategy", "focus_area"),
            region="focus-area",
            uses=lambda action: _plan_uses(action.plan_items.all()) + _indicator_uses(action=action),
        ),
        PartKind(
            "stakeholder", Stakeholder, forms.StakeholderForm, gettext_lazy("stakeholder"), gettext_lazy("Stakeholders")
        ),
        # Measured values are figures people entered: they keep the indicator.
        # Targets are part of its definition and go with it.
        PartKind(
            "indicator",
            Indicator,
            forms.IndicatorForm,
            gettext_lazy("indicator"),
            gettext_lazy("Indicators"),
            uses=_measured_values,
            removes_with=_targets,
        ),
    ]
}

# The editor's sections, in the order of the overview page.
REGIONS: list[str] = [
    "vision",
    "principle",
    "target-state",
    "choice",
    "perspective",
    "goal",
    "spearhead",
    "focus-area",
    "indicator",
    "stakeholder",
    "section",
]


def kind_for(key: str) -> PartKind:
    """The kind named in a URL; 404 for anything else."""
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None
