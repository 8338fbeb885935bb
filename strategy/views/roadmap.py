"""The roadmap (tiekartta): a strategy's actions by focus area, horizon and year."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from translations.fallback import fallback_lang

from ..models import Action
from .overview import get_strategy_for_user


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


def _horizon_order() -> list[tuple[str, str]]:
    return [*Action.Horizon.choices, ("", _("Horizon not set"))]


@require_GET
@login_required
def roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    """Actions on a timeline: years of the strategy period as columns, grouped
    by focus area and then by horizon (short / medium / long term). A strategy
    without focus areas (Helsinki's digital roadmap) is one group; one without
    horizons is one list per focus area."""
    strategy = get_strategy_for_user(request, slug)
    years = list(strategy.years)
    actions = list(
        Action.objects.filter(strategy=strategy)
        .select_related("focus_area")
        .prefetch_related("responsible_units")
        .order_by("focus_area__order", "focus_area__number", "order", "pk")
    )
    uses_horizons = any(action.horizon for action in actions)
    uses_years = any(action.start_year or action.end_year for action in actions)
    has_areas = any(action.focus_area_id for action in actions)
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
    context = {
        "strategy": strategy,
        "years": years,
        "groups": ordered,
        "uses_horizons": uses_horizons,
        "uses_years": uses_years,
        "horizons": Action.Horizon.choices,
    }
    return render(request, "strategy/roadmap.html", context)
