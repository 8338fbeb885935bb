from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from public.caching import public_cache

from .. import versions
from ..models import (
    Action,
    FocusArea,
    Goal,
    Perspective,
    SpearheadProgramme,
    StrategicChoice,
    Strategy,
)

# The lookup lives beside the queryset; the other views import it from here too.
from ..models.strategy import get_strategy_for_user as get_strategy_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's strategies; a visitor who is not signed in is
    shown the way to the public pages and to signing in."""
    if not request.user.is_authenticated:
        return _welcome(request)
    strategies = (
        Strategy.objects.visible_to(request.user)
        .select_related("organisation", "parent")
        .order_by("organisation__path", "-period_start")
    )
    return render(request, "strategy/home.html", {"strategies": strategies})


@public_cache
def _welcome(request: HttpRequest) -> HttpResponse:
    return render(request, "public/welcome.html")


@require_GET
@login_required
def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    goals = (
        Goal.objects.select_related("contributes_to", "contributes_to__strategy")
        .prefetch_related("objectives")
        .order_by("order")
    )
    actions = Action.objects.prefetch_related("responsible_units").select_related("goal").order_by("order", "pk")
    strategy = (
        Strategy.objects.filter(pk=strategy.pk)
        .select_related("organisation", "parent")
        .prefetch_related(
            "sections",
            "target_states",
            "visions",
            "principles",
            "stakeholders",
            Prefetch(
                "spearheads",
                queryset=SpearheadProgramme.objects.prefetch_related("goals", "focus_areas", "actions"),
            ),
            Prefetch("choices", queryset=StrategicChoice.objects.prefetch_related("trade_offs").order_by("order")),
            Prefetch("perspectives", queryset=Perspective.objects.prefetch_related(Prefetch("goals", queryset=goals))),
            Prefetch("goals", queryset=goals, to_attr="all_goals"),
            Prefetch("focus_areas", queryset=FocusArea.objects.prefetch_related(Prefetch("actions", queryset=actions))),
            Prefetch("actions", queryset=actions.filter(focus_area__isnull=True), to_attr="loose_actions"),
            Prefetch(
                "children",
                queryset=Strategy.objects.visible_to(request.user).select_related("organisation"),
                to_attr="visible_children",
            ),
            "maturity_models__levels",
            "maturity_models__dimensions__criteria",
        )
        .get()
    )
    live = strategy
    lifecycle = versions.overview_state(request.user, live)
    if lifecycle.shown is not None:
        # Readers outside the owning organisation see what was approved, not the working copy.
        strategy = versions.frozen_strategy(live, lifecycle.shown.snapshot)
        strategy.all_goals = list(strategy.goals.all())  # type: ignore[attr-defined]
        strategy.loose_actions = [a for a in strategy.actions.all() if a.focus_area_id is None]  # type: ignore[attr-defined]
    choice_groups = [
        (label, [choice for choice in strategy.choices.all() if choice.group == value])
        for value, label in StrategicChoice.Group.choices
    ]
    all_actions = [a for area in strategy.focus_areas.all() for a in area.actions.all()]
    all_actions += strategy.loose_actions
    budgets = [a.budget for a in all_actions if a.budget is not None]
    context = {
        "strategy": strategy,
        "budget_total": sum(budgets) if budgets else None,
        "choice_groups": [(label, choices) for label, choices in choice_groups if choices],
        "goals_without_perspective": [goal for goal in strategy.all_goals if goal.perspective_id is None],
        "parent_visible": strategy.parent_id
        and Strategy.objects.visible_to(request.user).filter(pk=strategy.parent_id).exists(),
        "can_edit": Strategy.objects.owned_by(request.user).filter(pk=strategy.pk).exists(),
        "lifecycle": lifecycle,
    }
    from .plans import strategy_rollup_context  # plans imports this module

    context.update(strategy_rollup_context(request, live))
    return render(request, "strategy/strategy_detail.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement lives in its own app (settings and data)."""
    from accessibility.views import statement

    return statement(request)
