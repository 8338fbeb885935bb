"""The kinds of parts a strategy owner edits in the strategy editor, each
described once: its model, form, parent, ordering scope, what blocks its
removal and what its removal takes along.

Views and services are generic over this registry, so a new kind of part is
one entry here and one form in ``editor_forms``. Other apps add their own
kinds from their ``AppConfig.ready()`` with ``register_kind`` (indicators add
theirs), and tell what of theirs uses a part with ``register_part_uses``, so
that this app imports nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    # The filter of the history tab that lists the kind's changes (``strategy.history.GROUPS``).
    history_group: str = "parts"

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


# What other apps keep that uses a part, each called with the part's lookup
# (``goal=goal``) and answering one line per user: "Indicator “Visitors”".
PART_USES: list[Callable[..., list[str]]] = []


def register_part_uses(uses: Callable[..., list[str]]) -> None:
    """Have ``uses(**lookup)`` name what keeps a goal, objective, perspective,
    focus area or action from being removed. Called from ``AppConfig.ready()``."""
    if uses not in PART_USES:
        PART_USES.append(uses)


def _uses_elsewhere(**lookup: Any) -> list[str]:
    return [line for uses in PART_USES for line in uses(**lookup)]


def _contribution_uses(goal: Goal) -> list[str]:
    return [
        _("Goal “%(goal)s” of %(strategy)s contributes to it") % {"goal": child.title, "strategy": child.strategy.title}
        for child in goal.contributions.select_related("strategy")
    ]


def _goal_uses(goal: Goal) -> list[str]:
    items = PlanItem.objects.filter(Q(action__goal=goal) | Q(action__objective__goal=goal)).distinct()
    return _plan_uses(items) + _uses_elsewhere(goal=goal) + _contribution_uses(goal)


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
            uses=lambda perspective: _uses_elsewhere(perspective=perspective),
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
            + _uses_elsewhere(objective=objective),
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
            + _uses_elsewhere(focus_area=area),
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
            uses=lambda action: _plan_uses(action.plan_items.all()) + _uses_elsewhere(action=action),
        ),
        PartKind(
            "stakeholder", Stakeholder, forms.StakeholderForm, gettext_lazy("stakeholder"), gettext_lazy("Stakeholders")
        ),
    ]
}


def register_kind(kind: PartKind) -> None:
    """Add a kind of part that another app owns (indicators add theirs).

    Called from the app's ``AppConfig.ready()``, which Django runs before any
    request or test; modules that derive lists from ``KINDS`` when imported
    (``versions.KIND_ORDER``) are imported after that.
    """
    registered = KINDS.get(kind.key)
    if registered is not None and registered != kind:
        raise ValueError(f"Another kind of part is already registered as {kind.key!r}.")
    KINDS[kind.key] = kind


# The editor's sections, in the order of the overview page (a section whose
# kind no installed app registers is left out).
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
