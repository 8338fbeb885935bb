"""The roadmap (tiekartta): a strategy's actions by focus area, horizon and year.

A city has thousands of actions, so the roadmap shows ``PAGE_SIZE`` of them
at a time, narrowed by the query string (perspective, goal, focus area,
unit, year, status). Every action stays reachable through the pages; the
form works without JavaScript and htmx swaps only the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..clock import current_year
from ..fallback import fallback_lang
from ..fragments import FRAGMENT_SECONDS, data_stamp, fragment_key, reader_key, stamp_for
from ..htmx import render_page
from ..models import Action, AnnualPlan, Organisation, PlanItem, Strategy
from .overview import get_strategy_for_user

PAGE_SIZE = 100


@dataclass
class RoadmapRow:
    action: Action
    cells: list[bool]


@dataclass
class HorizonGroup:
    value: str
    label: str
    rows: list[RoadmapRow] = field(default_factory=list)


@dataclass
class RoadmapGroup:
    """One focus area (or all actions when the strategy has none)."""

    title: str
    description: str
    horizons: list[HorizonGroup] = field(default_factory=list)
    # The language of the focus area's title and description when it is not the reader's.
    title_lang: str = ""
    description_lang: str = ""


@dataclass(frozen=True)
class RoadmapFilters:
    """What the query string narrows the roadmap to; unknown values are ignored."""

    perspective: int | None = None
    goal: int | None = None
    focus_area: int | None = None
    unit: int | None = None
    year: int | None = None
    status: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, strategy: Strategy) -> RoadmapFilters:
        year = _int_param(request, "year")
        status = request.GET.get("status", "")
        return cls(
            perspective=_int_param(request, "perspective"),
            goal=_int_param(request, "goal"),
            focus_area=_int_param(request, "focus_area"),
            unit=_int_param(request, "unit"),
            year=year if year in strategy.years else None,
            status=status if status in PlanItem.Status.values else "",
        )

    @property
    def narrowed(self) -> bool:
        return any(value for value in vars(self).values())

    def query(self) -> str:
        """The filters as a query string (for links that keep them)."""
        return urlencode({key: value for key, value in vars(self).items() if value})


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def filtered_actions(
    strategy: Strategy, filters: RoadmapFilters, *, request: HttpRequest
) -> QuerySet[Action]:
    """The strategy's actions narrowed by ``filters``, in roadmap order.

    The status is that of the action's items in the plans of the chosen year
    (this year when none is chosen) that the person may see."""
    actions = Action.objects.filter(strategy=strategy)
    if filters.perspective:
        actions = actions.filter(goal__perspective_id=filters.perspective)
    if filters.goal:
        actions = actions.filter(goal_id=filters.goal)
    if filters.focus_area:
        actions = actions.filter(focus_area_id=filters.focus_area)
    if filters.unit:
        actions = actions.filter(responsible_units__pk=filters.unit)
    if filters.year:
        year = filters.year
        actions = actions.filter(
            Q(start_year__lte=year, end_year__gte=year)
            | Q(start_year=year, end_year__isnull=True)
            | Q(start_year__isnull=True, end_year=year)
        )
    if filters.status:
        items = PlanItem.objects.filter(
            action=OuterRef("pk"),
            status=filters.status,
            plan__year=filters.year or current_year(strategy),
            plan__in=AnnualPlan.objects.visible_to(request.user),
        )
        actions = actions.filter(Exists(items))
    return actions.order_by("focus_area__order", "focus_area__number", "order", "pk")


def _horizon_order() -> list[tuple[str, str]]:
    return [*Action.Horizon.choices, ("", _("Horizon not set"))]


def _layout(strategy: Strategy) -> dict[str, bool]:
    """Whether the strategy uses horizons, years and focus areas at all (one
    query), so that the columns do not change from one page to the next."""
    used = Action.objects.filter(strategy=strategy).aggregate(
        horizons=Count("pk", filter=~Q(horizon="")),
        years=Count("pk", filter=Q(start_year__isnull=False) | Q(end_year__isnull=False)),
        areas=Count("focus_area"),
    )
    return {"uses_horizons": bool(used["horizons"]), "uses_years": bool(used["years"]), "has_areas": bool(used["areas"])}


def _groups(actions: list[Action], years: list[int], *, uses_horizons: bool, has_areas: bool) -> list[RoadmapGroup]:
    groups: dict[object, RoadmapGroup] = {}
    for action in actions:
        area = action.focus_area
        key = area.pk if area else None
        group = groups.get(key)
        if group is None:
            title = str(area) if area else (_("Other actions") if has_areas else _("Actions"))
            group = groups[key] = RoadmapGroup(
                title=title,
                description=area.description if area else "",
                title_lang=fallback_lang(area, "title") if area else "",
                description_lang=fallback_lang(area, "description") if area else "",
            )
            group.horizons = [HorizonGroup(value, str(label)) for value, label in _horizon_order()]
        start = action.start_year or action.end_year
        end = action.end_year or action.start_year
        cells = [bool(start and end and start <= year <= end) for year in years]
        horizon = action.horizon if uses_horizons else ""
        next(h for h in group.horizons if h.value == horizon).rows.append(RoadmapRow(action, cells))
    for group in groups.values():
        group.horizons = [h for h in group.horizons if h.rows]
    # Actions without a focus area come last.
    ordered = [group for key, group in groups.items() if key is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered


def _page(actions: QuerySet[Action], number: str | None) -> Page:
    """One page of actions; only its rows walk their relations (a fixed
    number of queries whatever the strategy's size)."""
    page = Paginator(
        actions.select_related("focus_area").prefetch_related("responsible_units"), PAGE_SIZE
    ).get_page(number)
    page.object_list = list(page.object_list)
    return page


class RoadmapResults:
    """One page of the roadmap, computed on first use: when the template
    finds the page in the fragment cache, none of it is read."""

    def __init__(self, request: HttpRequest, strategy: Strategy, filters: RoadmapFilters) -> None:
        self.request, self.strategy, self.filters = request, strategy, filters

    @cached_property
    def layout(self) -> dict[str, bool]:
        return _layout(self.strategy)

    @cached_property
    def page(self) -> Page:
        actions = filtered_actions(self.strategy, self.filters, request=self.request)
        return _page(actions, self.request.GET.get("page"))

    @cached_property
    def groups(self) -> list[RoadmapGroup]:
        return _groups(
            self.page.object_list,
            list(self.strategy.years),
            uses_horizons=self.uses_horizons,
            has_areas=self.layout["has_areas"],
        )

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def uses_horizons(self) -> bool:
        return self.layout["uses_horizons"]

    @property
    def uses_years(self) -> bool:
        return self.layout["uses_years"]


def _fragment_key(request: HttpRequest, strategy: Strategy, filters: RoadmapFilters) -> str:
    """The key of the roadmap's cached form and results: the strategy's
    content and the organisations' names, and with a status filter the plans'
    data stamp (any write to a plan or an item, whatever makes it) and the
    memberships that decide which statuses count."""
    # The whole query string: the page links repeat it.
    query = sorted(request.GET.lists())
    if not filters.status:
        return fragment_key("roadmap", strategy.pk, stamp_for(strategy), query)
    return fragment_key(
        "roadmap",
        strategy.pk,
        stamp_for(strategy, data_stamp("plans")),
        query,
        current_year(strategy),
        reader_key(request.user),
    )


@require_GET
@login_required
def roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    """Actions on a timeline: years of the strategy period as columns, grouped
    by focus area and then by horizon (short / medium / long term). A strategy
    without focus areas (Helsinki's digital roadmap) is one group; one without
    horizons is one list per focus area.

    The filter form and the results are cached by what they show
    (``strategy.fragments``); ``results`` is only computed on a miss."""
    strategy = get_strategy_for_user(request, slug)
    filters = RoadmapFilters.from_request(request, strategy)
    context = {
        "strategy": strategy,
        "years": list(strategy.years),
        "results": RoadmapResults(request, strategy, filters),
        "filters": filters,
        "status_year": filters.year or current_year(strategy),
        "perspectives": strategy.perspectives.all(),
        "goals": strategy.goals.all(),
        "focus_areas": strategy.focus_areas.all(),
        "units": Organisation.objects.filter(responsible_for__strategy=strategy).distinct().order_by("path"),
        "statuses": PlanItem.Status.choices,
        "fragment_key": _fragment_key(request, strategy, filters),
        "fragment_seconds": FRAGMENT_SECONDS,
    }
    return render_page(request, "strategy/roadmap.html", context, fragment="roadmap-results")
