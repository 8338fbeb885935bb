from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, Sum, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import clock, versions
from ..access import access_for
from ..caching import public_cache
from ..fragments import cached, fragment_key, reader_key
from ..models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Perspective,
    PlanItem,
    Role,
    Rollup,
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


# Actions shown per focus area on the overview; the roadmap shows them all.
ACTIONS_SHOWN = 20


def _content_prefetches(request: HttpRequest) -> list[str | Prefetch]:
    """What the overview reads of the working copy: every part, each in one query."""
    goals = (
        Goal.objects.select_related("contributes_to", "contributes_to__strategy")
        .prefetch_related("objectives")
        .order_by("order")
    )
    actions = Action.objects.prefetch_related("responsible_units").select_related("goal").order_by("order", "pk")
    return [
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
        # A city's focus area has hundreds of actions: the overview shows the
        # first ones and the count, and the roadmap pages through all of them.
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.annotate(action_count=Count("actions")).prefetch_related(
                Prefetch("actions", queryset=actions[:ACTIONS_SHOWN], to_attr="shown_actions")
            ),
        ),
        Prefetch("actions", queryset=actions.filter(focus_area__isnull=True)[:ACTIONS_SHOWN], to_attr="loose_actions"),
    ]


# The overview's content (header, parts, document sections) is cached as
# HTML in the fragment cache (``strategy.fragments``): it shows nothing but
# the strategy's content and names, so the content stamp (renewed by the
# database with every change to them, organisation names included), the
# version shown and the language name it. What depends on the reader (the
# editing tools, the life-cycle banner, the progress of the plans they may
# see, the cascade) and the maturity models are rendered every time.


def _content_key(strategy: Strategy, lifecycle: versions.OverviewState) -> str | None:
    if not lifecycle.stamp:
        return None
    shown, latest = lifecycle.shown, lifecycle.latest
    # The header names the latest version's number, for insiders too.
    source = f"live:{latest.pk if latest else 0}" if shown is None else f"v{shown.pk}:{shown.snapshot_sha256}"
    return f"suunta:overview:{strategy.pk}:{lifecycle.stamp}:{source}:{get_language()}"


def _content(request: HttpRequest, live: Strategy, lifecycle: versions.OverviewState) -> dict[str, Any]:
    """The overview's content as HTML fragments, and its focus areas' names
    for the progress section: read and rendered once per key, then cached."""
    if lifecycle.shown is None:
        prefetch_related_objects([live], *_content_prefetches(request))
        strategy = live
        areas = list(live.focus_areas.all())
        totals = Action.objects.filter(strategy=live).aggregate(
            budget=Sum("budget"), loose=Count("pk", filter=Q(focus_area__isnull=True))
        )
        budget_total, loose_count = totals["budget"], totals["loose"]
    else:
        # Readers outside the owning organisation see what was approved, not the working copy.
        strategy = versions.frozen_strategy(live, lifecycle.shown.snapshot)
        strategy.all_goals = list(strategy.goals.all())  # type: ignore[attr-defined]
        areas = list(strategy.focus_areas.all())
        loose = [a for a in strategy.actions.all() if a.focus_area_id is None]
        budgets = [a.budget for a in [*loose, *(a for area in areas for a in area.actions.all())] if a.budget is not None]
        budget_total, loose_count = (sum(budgets) if budgets else None), len(loose)
        strategy.loose_actions = loose[:ACTIONS_SHOWN]  # type: ignore[attr-defined]
        for area in areas:
            actions = list(area.actions.all())
            area.action_count, area.shown_actions = len(actions), actions[:ACTIONS_SHOWN]  # type: ignore[attr-defined]
    choice_groups = [
        (label, [choice for choice in strategy.choices.all() if choice.group == value])
        for value, label in StrategicChoice.Group.choices
    ]
    context = {
        "strategy": strategy,
        "lifecycle": lifecycle,
        "focus_areas": areas,
        "loose_count": loose_count,
        "budget_total": budget_total,
        "choice_groups": [(label, choices) for label, choices in choice_groups if choices],
        "goals_without_perspective": [goal for goal in strategy.all_goals if goal.perspective_id is None],
    }
    return {
        "title": str(strategy.title),
        "header": render_to_string("strategy/overview_header.html", context),
        "parts": render_to_string("strategy/overview_parts.html", context),
        "sections": render_to_string("strategy/overview_sections.html", context),
        "areas": [(area.pk, str(area)) for area in sorted(areas, key=lambda area: (area.order, area.number))],
        "budget_total": budget_total,
    }


@require_GET
@login_required
def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategy as one page: its parts, this year's progress and its life cycle.

    Insiders read the working copy; everyone else reads the approved version
    (a snapshot, no queries), so the working copy's parts are only fetched
    for insiders, and only when the content is not cached."""
    live = get_strategy_for_user(request, slug)
    # The stamps of every cached region come with the version, in one query, before their data.
    lifecycle = versions.overview_state(request.user, live, data_stamps=("maturity", "plans", "content"))
    key = _content_key(live, lifecycle)
    content = cached(key, lambda: _content(request, live, lifecycle)) if key else _content(request, live, lifecycle)
    access = access_for(request.user)
    reach = reader_key(request.user)
    year = clock.current_year(live)
    # The content key names the organisations too: their changes renew every content stamp.
    rollup_key = fragment_key("overview-rollup", key, live.pk, year, lifecycle.data["plans"], reach)
    context = {
        # What is not content (slug, status, organisation, cascade, maturity models) is the live row's.
        "strategy": live,
        "content": content,
        "budget_total": content["budget_total"],
        "can_edit": access.reaches(live.organisation, roles=(Role.OWNER,)),
        "lifecycle": lifecycle,
        # Which strategies above and below the reader sees: every strategy's content and the reach.
        "cascade_html": cached(
            fragment_key("overview-cascade", live.pk, lifecycle.data["content"], reach), lambda: _cascade(request, live)
        ),
        "maturity_html": cached(
            fragment_key("overview-maturity", live.pk, lifecycle.data["maturity"]), lambda: _maturity(live)
        ),
        "rollup_html": cached(rollup_key, lambda: _rollup(request, live, year, content["areas"]))
        if key
        else _rollup(request, live, year, content["areas"]),
    }
    return render(request, "strategy/strategy_detail.html", context)


def _cascade(request: HttpRequest, live: Strategy) -> str:
    """The strategy cascade as HTML: the parent (linked when the reader sees
    it) and the sub-strategies the reader sees."""
    children = list(Strategy.objects.visible_to(request.user).filter(parent=live).select_related("organisation"))
    parent = live.parent
    # An approved or archived strategy is visible to everyone signed in: ask only about a draft.
    parent_visible = parent is not None and (
        parent.status in (Strategy.Status.APPROVED, Strategy.Status.ARCHIVED)
        or Strategy.objects.visible_to(request.user).filter(pk=parent.pk).exists()
    )
    if parent is None and not children:
        return ""
    context = {"strategy": live, "children": children, "parent_visible": parent_visible}
    return render_to_string("strategy/_overview_cascade.html", context)


def _maturity(strategy: Strategy) -> str:
    """The strategy's maturity matrices as HTML: the same for every reader."""
    models = strategy.maturity_models.prefetch_related("levels", "dimensions__criteria")
    return render_to_string("strategy/_overview_maturity.html", {"maturity_models": models})


def _rollup(request: HttpRequest, strategy: Strategy, year: int, areas: list[tuple[int, str]]) -> str:
    """The progress section as HTML ("" when no plan the person sees has items)."""
    context = _rollup_context(request, strategy, year, areas)
    return render_to_string("strategy/_overview_rollup.html", context) if context["rollup"].total else ""


def _rollup_context(request: HttpRequest, strategy: Strategy, year: int, areas: list[tuple[int, str]]) -> dict[str, Any]:
    """The progress section: this year's items of the plans the person may
    see, per focus area and status in one query; the whole strategy is the
    sum of the same rows, through the same ``Rollup`` as every other page."""
    items = PlanItem.objects.filter(
        plan__in=AnnualPlan.objects.visible_to(request.user).filter(strategy=strategy, year=year)
    )
    counts: dict[object, dict[str, int]] = {}
    progress: dict[object, int] = {}
    for row in items.order_by().values("action__focus_area", "status").annotate(n=Count("pk"), p=Sum("progress")):
        key = row["action__focus_area"]
        counts.setdefault(key, {})[row["status"]] = row["n"]
        if row["status"] not in PlanItem.CLOSED_STATUSES:
            progress[key] = progress.get(key, 0) + (row["p"] or 0)
    total: dict[str, int] = {}
    for by_status in counts.values():
        for status, n in by_status.items():
            total[status] = total.get(status, 0) + n
    rollup = Rollup.from_counts(total, progress_sum=sum(progress.values()))
    rows: list[tuple[str, Rollup]] = []
    if rollup.total:
        names = dict(areas)
        missing = [key for key in counts if key is not None and key not in names]
        if missing:  # areas added since the approved version the reader sees
            names.update((area.pk, str(area)) for area in FocusArea.objects.filter(pk__in=missing).order_by("order", "number"))
        for pk, name in names.items():
            if pk in counts:
                rows.append((name, Rollup.from_counts(counts[pk], progress_sum=progress.get(pk, 0))))
        if None in counts and rows:
            rows.append((_("Other actions"), Rollup.from_counts(counts[None], progress_sum=progress.get(None, 0))))
    return {"rollup": rollup, "rollup_rows": rows, "rollup_year": year}
