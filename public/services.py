"""What residents read on the public pages, and nothing more.

The rule:

- A strategy is public while ``Strategy.objects.published()`` holds it:
  approved, published by an owner, of an organisation still in use.
- Its content (visions, values, goals, focus areas, actions, indicator
  definitions) is read from its latest approved version, never from the
  working copy, so edits made since approval stay inside the organisation.
- Progress and status come from the items of approved annual plans only,
  through the roll-ups the signed-in pages use (``PlanItemQuerySet.rollup``).
- Indicator values, the maturity sector row and reports are live data, each
  read through the function the signed-in pages use for it; the sector row
  hides what ``maturity.services`` hides below the privacy threshold.
- No names of people, comments, plan item texts or drafts are read here at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.services import (
    IndicatorSummary,
    indicator_summary,
    indicators_for_list,
    indicators_with_values,
    judgement_year,
)
from maturity.models import AssessmentRound, MaturityModel
from maturity.services import heatmap_build
from reports.models import Report
from strategy.models import (
    AnnualPlan,
    Membership,
    Organisation,
    PlanItem,
    Role,
    Rollup,
    Strategy,
    StrategyVersion,
)
from strategy.versions import frozen_strategy, latest_version, latest_version_stamped
from strategy.views.plans import current_year


def public_strategies() -> QuerySet[Strategy]:
    """Published strategies that have an approved version to show (one
    approved outside Suunta's approval, without a version, has none)."""
    return (
        Strategy.objects.published()
        .filter(Exists(StrategyVersion.objects.filter(strategy=OuterRef("pk"))))
        .select_related("organisation", "parent")
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one published strategy, in the tree's order."""
    return Organisation.objects.filter(pk__in=public_strategies().values("organisation")).order_by(
        "path"
    )


def public_organisation_get(*, slug: str) -> Organisation:
    return get_object_or_404(public_organisations(), slug=slug)


def public_strategy_get(*, organisation_slug: str, slug: str) -> Strategy:
    """The one way public views fetch a strategy: 404 unless it is published
    and belongs to the organisation named in the address."""
    return get_object_or_404(public_strategies(), organisation__slug=organisation_slug, slug=slug)


@dataclass
class Approved:
    """A published strategy as residents read it: ``live`` answers what is
    not content (organisation, plans, figures), ``shown`` is the approved version."""

    live: Strategy
    shown: Strategy
    version: StrategyVersion


def approved_version(live: Strategy, *, snapshot: bool = True, data_stamps: Collection[str] = ()) -> StrategyVersion:
    """The latest approved version of ``live`` (one query). A strategy
    approved without a version has nothing approved to show, so it is not public.

    Without ``snapshot`` its snapshot is read when first used, and the
    version carries the strategy's content stamp as ``stamp`` and the
    ``data_stamps`` as ``data_stamp_<name>``, read in the same query (for a
    cache key)."""
    version = latest_version(live) if snapshot else latest_version_stamped(live, data_stamps)
    if version is None:
        raise Http404
    return version


def snapshot_rows(version: StrategyVersion, kind: str) -> list[dict[str, Any]]:
    """The rows of one kind of part in ``version``'s snapshot, in their shown order."""
    return list((version.snapshot.get("parts") or {}).get(kind, []))


def approved_get(
    live: Strategy,
    *,
    version: StrategyVersion | None = None,
    kinds: Collection[str] | None = None,
    only: Mapping[str, Collection[int]] | None = None,
) -> Approved:
    """The approved version of ``live`` as model instances (two queries).

    A city's version has thousands of parts and a page shows a few kinds of
    them, a page of them at a time: ``kinds`` names the kinds of parts to
    build (the others read as empty on ``shown``), ``only`` the ids to keep
    of some kinds (``{"action": [...]}``)."""
    version = version or approved_version(live)
    snapshot = version.snapshot
    if kinds is not None or only:
        parts = {
            key: rows for key, rows in (snapshot.get("parts") or {}).items() if kinds is None or key in kinds
        }
        for key, ids in (only or {}).items():
            wanted = set(ids)
            parts[key] = [row for row in parts.get(key, []) if row["id"] in wanted]
        snapshot = {**snapshot, "parts": parts}
    return Approved(live=live, shown=frozen_strategy(live, snapshot), version=version)


def approved_plan_items(strategy: Strategy, year: int) -> QuerySet[PlanItem]:
    """The items of the strategy's approved plans of ``year``: drafts and
    submitted plans are still being written and never reach residents."""
    return PlanItem.objects.filter(
        plan__strategy=strategy, plan__year=year, plan__status=AnnualPlan.Status.APPROVED
    )


@dataclass
class Progress:
    year: int
    rollup: Rollup
    rows: list[tuple[str, Rollup]]
    by_action: dict[object, Rollup]


@dataclass
class Figures:
    """This year's progress figures of a strategy, before focus areas are named."""

    year: int
    rollup: Rollup
    by_area: dict[object, Rollup]
    by_action: dict[object, Rollup]


def progress_figures(live: Strategy) -> Figures:
    """This year's progress of the whole strategy, per focus area and per
    action, from approved plans, in one query whatever the size: the items
    per action and status, added up per focus area and for the whole
    strategy as ``PlanItemQuerySet.rollup`` and ``rollup_by`` add them."""
    year = current_year(live)
    rows = (
        approved_plan_items(live, year)
        .order_by()
        .values("action", "action__focus_area", "status")
        .annotate(n=Count("pk"), p=Sum("progress"))
    )
    raw: dict[str, dict[object, tuple[dict[str, int], int]]] = {"all": {}, "area": {}, "action": {}}
    for row in rows:
        status = row["status"]
        for group, key in (("all", None), ("area", row["action__focus_area"]), ("action", row["action"])):
            counts, progress_sum = raw[group].get(key, ({}, 0))
            counts[status] = counts.get(status, 0) + row["n"]
            if status not in PlanItem.CLOSED_STATUSES:
                progress_sum += row["p"] or 0
            raw[group][key] = (counts, progress_sum)
    rollups = {
        group: {key: Rollup.from_counts(counts, progress_sum=p) for key, (counts, p) in by.items()}
        for group, by in raw.items()
    }
    rollup = rollups["all"].get(None) or Rollup.from_counts({}, progress_sum=0)
    return Figures(year=year, rollup=rollup, by_area=rollups["area"], by_action=rollups["action"])


def progress_named(figures: Figures, areas: Iterable[Any]) -> Progress:
    """``figures`` with a row per focus area of ``areas`` (named as approved;
    a focus area added since approval is not shown)."""
    rows: list[tuple[str, Rollup]] = []
    if figures.rollup.total:
        for area in areas:
            if area.pk in figures.by_area:
                rows.append((str(area), figures.by_area[area.pk]))
        if None in figures.by_area and rows:
            rows.append((_("Other actions"), figures.by_area[None]))
    return Progress(year=figures.year, rollup=figures.rollup, rows=rows, by_action=figures.by_action)


def progress_build(approved: Approved) -> Progress:
    """This year's progress of the approved strategy, per focus area and per
    action, from approved plans (three queries whatever the size)."""
    return progress_named(progress_figures(approved.live), approved.shown.focus_areas.all())


def action_figures(live: Strategy) -> tuple[int, dict[object, Rollup]]:
    """This year and every action's progress in it, from approved plans (one query)."""
    year = current_year(live)
    return year, approved_plan_items(live, year).rollup_by("action")


def _approved_fields(live: Indicator, approved: Indicator) -> None:
    """Give the live indicator (which carries the measured values) the
    definition that was approved: its name, description, unit, direction,
    decimals and baseline as the approved version has them."""
    for model_field in Indicator._meta.concrete_fields:
        if model_field.is_relation or model_field.name in ("id", "version", "strategy"):
            continue
        setattr(live, model_field.attname, getattr(approved, model_field.attname))


def public_indicators(approved: Approved, *, pk: int | None = None) -> list[Indicator]:
    """The approved indicators with their values (a fixed number of queries).
    One added since approval is left out until the next approval."""
    definitions = {indicator.pk: indicator for indicator in approved.shown.indicators.all()}
    wanted = [pk] if pk is not None else list(definitions)
    queryset = Indicator.objects.filter(
        strategy=approved.live, pk__in=[p for p in wanted if p in definitions]
    )
    queryset = queryset.order_by("order", "pk")
    if pk is None:
        # The list: values as plain rows, as on the signed-in list.
        indicators = indicators_for_list(queryset, strategy=approved.live)
    else:
        indicators = list(indicators_with_values(queryset))
    for indicator in indicators:
        _approved_fields(indicator, definitions[indicator.pk])
        indicator.strategy = approved.live  # one strategy object for all: no extra queries
    return indicators


def indicator_summaries(approved: Approved, indicators: list[Indicator]) -> list[IndicatorSummary]:
    year = judgement_year(approved.live)
    return [indicator_summary(indicator, year=year) for indicator in indicators]


@dataclass
class PublicMaturity:
    model: MaturityModel
    years: list[int]
    year: int | None
    data: dict[str, Any] | None


def maturity_build(strategy: Strategy, *, year: int | None = None) -> list[PublicMaturity]:
    """Each maturity model's sector row for a closed round's year (the latest
    unless ``year`` names another closed one). The unit rows are dropped here,
    so no page can show them; the sector row is the median of unit values that
    ``heatmap_build`` already hides below the round's privacy threshold."""
    models = list(
        MaturityModel.objects.filter(strategy=strategy).prefetch_related("levels", "dimensions")
    )
    closed: dict[int, list[int]] = {}
    for model_id, round_year in (
        AssessmentRound.objects.filter(model__in=models, status=AssessmentRound.Status.CLOSED)
        .order_by("-year")
        .values_list("model_id", "year")
    ):
        closed.setdefault(model_id, []).append(round_year)
    result = []
    for model in models:
        years = closed.get(model.pk, [])
        shown = year if year in years else (years[0] if years else None)
        data: dict[str, Any] | None = None
        if shown is not None:
            heatmap = heatmap_build(model=model, year=shown)
            data = {
                "levels": heatmap["levels"],
                "dimensions": heatmap["dimensions"],
                "sector": heatmap["sector"],
                # Each strategy section with the sector's cell for it.
                "rows": list(zip(heatmap["dimensions"], heatmap["sector"]["cells"], strict=True)),
                "previous_year": heatmap["previous_year"],
            }
        result.append(PublicMaturity(model=model, years=years, year=shown, data=data))
    return result


def public_reports(strategy: Strategy) -> QuerySet[Report]:
    """Finished reports an owner has published, newest first."""
    return (
        Report.objects.filter(strategy=strategy, published=True, status=Report.Status.DONE)
        .exclude(file="")
        .select_related("unit")
        .defer("snapshot")
        .order_by("-year", "-version", "-pk")
    )


def public_contacts(strategy: Strategy) -> list[str]:
    """Names of the strategy's owners who chose to be named on the public
    pages (``Profile.public``): whom a resident can ask about it. Nobody
    else's name is ever shown to a visitor."""
    memberships = (
        Membership.objects.filter(
            organisation=strategy.organisation,
            role=Role.OWNER,
            user__is_active=True,
            user__suunta_profile__public=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )
    names: list[str] = []
    for membership in memberships:
        name = membership.user.get_full_name().strip()
        if name and name not in names:
            names.append(name)
    return names
