"""The public pages: published strategies as approved, their progress,
indicators, maturity sector row and published reports, for anyone.

Every lookup goes through ``services``: an unpublished strategy, another
organisation's address or an unpublished report is 404, as if it did not exist.
"""

from __future__ import annotations

import copy
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import check_for_language
from django.views.decorators.http import require_safe

from indicators.models import Indicator, Measurement, ScaleLevel, Target
from indicators.services import indicator_value_display, judgement_year
from indicators.status import Status
from indicators.views import PAGE_SIZE, _chart, indicator_figures, series_badge
from reports.services import report_filename
from reports.views import _verified_report_file
from strategy.caching import PUBLIC_MAX_AGE, public_cache
from strategy.clock import current_year
from strategy.fragments import (
    cached,
    fragment_key,
    history_stamp,
    stamp_for,
)
from strategy.htmx import render_page
from strategy.models import Strategy, StrategyVersion
from strategy.security import security_event

from . import services


def _fmt(indicator: Indicator, value: Decimal | float | None) -> str:
    return indicator_value_display(indicator, value)


@require_safe
@public_cache
def index(request: HttpRequest) -> HttpResponse:
    strategies = list(
        services.public_strategies().order_by("organisation__path", "-period_start", "title")
    )
    organisations: dict[int, dict[str, Any]] = {}
    for strategy in strategies:
        entry = organisations.setdefault(
            strategy.organisation_id, {"organisation": strategy.organisation, "strategies": []}
        )
        entry["strategies"].append(strategy)
    return render(request, "public/index.html", {"organisations": list(organisations.values())})


@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """The language switch of the public pages: a plain link, no form and no
    CSRF token, so that the pages stay the same for every reader and cacheable."""
    code = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/public/"
    response = HttpResponseRedirect(next_url)
    if code and check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_safe
@public_cache
def organisation(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = services.public_organisation_get(slug=org_slug)
    strategies = (
        services.public_strategies()
        .filter(organisation=organisation)
        .order_by("-period_start", "title")
    )
    return render(
        request,
        "public/organisation.html",
        {"organisation": organisation, "strategies": strategies},
    )


def _approved(org_slug: str, slug: str, **parts: Any) -> services.Approved:
    """The published strategy's approved version, built of the kinds of
    parts a page shows (``services.approved_get``'s ``kinds`` and ``only``)."""
    return services.approved_get(
        services.public_strategy_get(organisation_slug=org_slug, slug=slug), **parts
    )


# What the strategy page shows of the approved version; a city's focus area
# has hundreds of actions: the page shows the first ones of each and the
# count, and the action list pages through all of them.
STRATEGY_KINDS = ("vision", "principle", "goal", "objective", "focus-area", "action")
ACTIONS_SHOWN = 20
# The action list's focus area filter for the actions outside every focus area.
NO_FOCUS_AREA = "none"


def _first_actions(rows: list[dict[str, Any]]) -> tuple[list[int], dict[int | None, int]]:
    """The ids of the first ``ACTIONS_SHOWN`` actions of each focus area (and
    of those outside every focus area), and the number of actions of each."""
    counts: dict[int | None, int] = {}
    first: list[int] = []
    for row in rows:
        area = row.get("focus_area")
        counts[area] = counts.get(area, 0) + 1
        if counts[area] <= ACTIONS_SHOWN:
            first.append(row["id"])
    return first, counts


def _strategy_content(live: Strategy, version: StrategyVersion, figures: services.Figures) -> dict[str, Any]:
    """The strategy page's content, from its header to its actions, as HTML."""
    first, counts = _first_actions(services.snapshot_rows(version, "action"))
    approved = services.approved_get(live, version=version, kinds=STRATEGY_KINDS, only={"action": first})
    shown = approved.shown
    progress = services.progress_named(figures, shown.focus_areas.all())
    areas = [
        {
            "area": area,
            "actions": [
                (action, progress.by_action.get(action.pk)) for action in area.actions.all()
            ],
            "count": counts.get(area.pk, 0),
        }
        for area in shown.focus_areas.all()
    ]
    loose = [
        (action, progress.by_action.get(action.pk))
        for action in shown.actions.all()
        if action.focus_area_id is None
    ]
    context = {
        "strategy": shown,
        "version": version,
        "areas": areas,
        "loose_actions": loose,
        "loose_count": counts.get(None, 0),
        "no_focus_area": NO_FOCUS_AREA,
        "rollup": progress.rollup,
        "rollup_rows": progress.rows,
        "rollup_year": progress.year,
    }
    return {"title": str(shown.title), "html": render_to_string("public/_strategy_content.html", context)}


@require_safe
@public_cache
def strategy(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """The approved strategy with this year's progress. Its content is kept in
    the fragment cache under what it shows: the version, the strategy's
    content stamp (its own row and names), the organisation, the year and the
    plans' data stamp (the progress figures change with it) and the
    language; the reports and contacts are kept by the reports' and the
    people's stamps (memberships, profiles, names), all read with the version."""
    live = services.public_strategy_get(organisation_slug=org_slug, slug=slug)
    version = services.approved_version(live, snapshot=False, data_stamps=("plans", "reports", "people"))
    key = fragment_key(
        "public-strategy",
        version.pk,
        version.snapshot_sha256,
        version.stamp,  # type: ignore[attr-defined]
        live.organisation.slug,
        live.organisation.name,
        current_year(live),
        version.data_stamp_plans,  # type: ignore[attr-defined]
    )
    content = cached(key, lambda: _strategy_content(live, version, services.progress_figures(live)))
    # The published reports and the owners named on the public pages.
    extras_key = fragment_key(
        "public-strategy-extras",
        live.pk,
        version.stamp,  # type: ignore[attr-defined]
        version.data_stamp_reports,  # type: ignore[attr-defined]
        version.data_stamp_people,  # type: ignore[attr-defined]
    )
    context = {
        "strategy": live,
        "content": content,
        "extras": cached(extras_key, lambda: _strategy_extras(live)),
    }
    return render(request, "public/strategy.html", context)


def _strategy_extras(live: Strategy) -> str:
    context = {"strategy": live, "reports": services.public_reports(live), "contacts": services.public_contacts(live)}
    return render_to_string("public/_strategy_extras.html", context)


def _action_table(
    request: HttpRequest, live: Strategy, version: StrategyVersion, year: int, by_action: dict[object, Any]
) -> tuple[SafeString, dict[str, str]]:
    """The action list's filter and page of actions as HTML, and the approved title."""
    areas = services.snapshot_rows(version, "focus-area")
    # Grouped by focus area in the areas' order, those outside every area last.
    position = {area["id"]: n for n, area in enumerate(areas)}
    all_rows = services.snapshot_rows(version, "action")
    rows = sorted(all_rows, key=lambda row: position.get(row.get("focus_area"), len(position)))
    chosen = request.GET.get("focus_area", "")
    if chosen == NO_FOCUS_AREA:
        rows = [row for row in rows if row.get("focus_area") is None]
    elif chosen.isdigit() and int(chosen) in position:
        rows = [row for row in rows if row.get("focus_area") == int(chosen)]
    else:
        chosen = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [row["id"] for row in page.object_list]
    approved = services.approved_get(live, version=version, kinds=("focus-area", "action"), only={"action": ids})
    by_id = {action.pk: action for action in approved.shown.actions.all()}
    context = {
        "strategy": approved.shown,
        "actions": [(by_id[pk], by_action.get(pk)) for pk in ids],
        "focus_areas": approved.shown.focus_areas.all(),
        "focus_area": chosen,
        "no_focus_area": NO_FOCUS_AREA,
        "has_loose": any(row.get("focus_area") is None for row in all_rows),
        "page": page,
        "count": page.paginator.count,
        "year": year,
    }
    # With the request: the page links keep its query string.
    titles = {name: getattr(approved.shown, name) for name in TITLE_FIELDS}
    return render_to_string("public/_action_table.html", context, request=request), titles


@require_safe
@public_cache
def action_list(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """Every approved action, ``PAGE_SIZE`` a page, of one focus area if asked,
    with this year's progress from approved plans. The filter and table are
    kept in the fragment cache under the version, the content stamp, the
    organisation, the year and the plans' data stamp (the actions' figures
    change with it), the query string and the language."""
    live = services.public_strategy_get(organisation_slug=org_slug, slug=slug)
    version = services.approved_version(live, snapshot=False, data_stamps=("plans",))
    key = fragment_key(
        "public-action-list",
        version.pk,
        version.snapshot_sha256,
        version.stamp,  # type: ignore[attr-defined]
        live.organisation.slug,
        live.organisation.name,
        current_year(live),
        version.data_stamp_plans,  # type: ignore[attr-defined]
        sorted(request.GET.lists()),
    )
    table, titles = cached(key, lambda: _action_table(request, live, version, *services.action_figures(live)))
    context = {"strategy": _titled(live, titles), "table": table}
    return render_page(request, "public/action_list.html", context, fragment="action-table")


TITLE_FIELDS = ("title", *(f"title_{code}" for code in settings.MODELTRANSLATION_LANGUAGES))


def _titled(live: Strategy, titles: dict[str, str]) -> Strategy:
    """``live`` with the approved version's title (``titles``, kept with a
    cached region), for a page's header and breadcrumbs around the region:
    a title changed since approval is not public yet."""
    shown = copy.copy(live)
    for name, value in titles.items():
        setattr(shown, name, value)
    return shown


def _indicator_table(
    request: HttpRequest, live: Strategy, version: StrategyVersion, status: str
) -> tuple[SafeString, dict[str, str]]:
    """The indicator list's filter and page of rows as HTML, and the approved title."""
    definitions = sorted(
        services.snapshot_rows(version, "indicator"), key=lambda row: (row.get("order") or 0, row["id"])
    )
    number = request.GET.get("page")
    if status:
        # The status is judged from the values: judge every indicator, then page those of the status.
        approved = services.approved_get(live, version=version, kinds=("indicator",))
        judged = services.indicator_summaries(approved, services.public_indicators(approved))
        page = Paginator([s for s in judged if s.status == status], PAGE_SIZE).get_page(number)
        summaries = list(page.object_list)
    else:
        # Values (and sparklines) only for the page shown.
        page = Paginator(definitions, PAGE_SIZE).get_page(number)
        ids = [row["id"] for row in page.object_list]
        approved = services.approved_get(live, version=version, kinds=("indicator",), only={"indicator": ids})
        summaries = services.indicator_summaries(approved, services.public_indicators(approved))
    context = {
        "strategy": approved.shown,
        "rows": [indicator_figures(summary) for summary in summaries],
        "page": page,
        "count": len(definitions),
        "statuses": sorted(Status.choices, key=lambda pair: str(pair[1])) if definitions else [],
        "status": status,
        "year": judgement_year(live) if definitions else None,
    }
    titles = {name: getattr(approved.shown, name) for name in TITLE_FIELDS}
    # With the request: the page links keep its query string.
    return render_to_string("public/_indicator_table.html", context, request=request), titles


@require_safe
@public_cache
def indicator_list(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    """The approved indicators, ``PAGE_SIZE`` rows a page, by status if asked;
    every indicator is reachable through the pages. The filter and table are
    kept in the fragment cache under the version, the content stamp, the
    organisations, every value, target and scale level, the year judged by,
    the query string and the language."""
    live = services.public_strategy_get(organisation_slug=org_slug, slug=slug)
    version = services.approved_version(live, snapshot=False)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    stamp = stamp_for(live, history_stamp(Measurement, Target, ScaleLevel))
    key = fragment_key(
        "public-indicator-list",
        version.pk,
        version.snapshot_sha256,
        stamp,
        live.organisation.slug,
        judgement_year(live),
        sorted(request.GET.lists()),
    )
    table, titles = cached(key, lambda: _indicator_table(request, live, version, status))
    context = {"strategy": _titled(live, titles), "table": table}
    return render_page(request, "public/indicator_list.html", context, fragment="indicator-table")


@require_safe
@public_cache
def indicator(request: HttpRequest, org_slug: str, slug: str, pk: int) -> HttpResponse:
    approved = _approved(org_slug, slug, kinds=("indicator",), only={"indicator": [pk]})
    indicators = services.public_indicators(approved, pk=pk)
    if not indicators:
        raise Http404
    indicator = indicators[0]
    summary = services.indicator_summaries(approved, indicators)[0]
    # The signed-in page's chart function, so both pages draw the same picture.
    charts = [
        {"series": s, "svg": mark_safe(_chart(indicator, summary, s)), "badge": series_badge(indicator, s)}
        for s in summary.series
    ]
    table = [
        {
            "year": year,
            "cells": [
                {
                    "target": _fmt(indicator, s.path.get(year)),
                    "actual": _fmt(indicator, s.actuals.get(year)),
                }
                for s in summary.series
            ],
        }
        for year in summary.years
    ]
    context = {
        "strategy": approved.shown,
        "indicator": indicator,
        "summary": summary,
        "charts": charts,
        "table": table,
        "baseline": _fmt(indicator, indicator.baseline_value),
        "latest": f"{_fmt(indicator, summary.latest[1])} ({summary.latest[0]})"
        if summary.latest
        else "",
        "target": _fmt(indicator, summary.target),
    }
    return render(request, "public/indicator_detail.html", context)


@require_safe
@public_cache
def maturity(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    approved = _approved(org_slug, slug, kinds=())
    raw = request.GET.get("year", "")
    models = services.maturity_build(approved.live, year=int(raw) if raw.isdigit() else None)
    return render(request, "public/maturity.html", {"strategy": approved.shown, "models": models})


@require_safe
def report_download(request: HttpRequest, org_slug: str, slug: str, pk: int) -> HttpResponse:
    """A published report's PDF, through the same integrity check as the
    signed-in download. Its SHA-256 is its ETag: the file never changes."""
    strategy: Strategy = services.public_strategy_get(organisation_slug=org_slug, slug=slug)
    report = get_object_or_404(services.public_reports(strategy), pk=pk)
    etag = quote_etag(report.sha256)
    if not request.user.is_authenticated:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            patch_cache_control(not_modified, public=True, max_age=PUBLIC_MAX_AGE)
            return not_modified
    verified = _verified_report_file(report)
    if verified is None:
        security_event(
            "report.integrity_failed", request=request, report=report.pk, level=logging.ERROR
        )
        return render(
            request,
            "public/report_integrity_failed.html",
            {"strategy": strategy, "report": report},
            status=500,
        )
    response = FileResponse(
        verified,
        as_attachment=True,
        filename=report_filename(report),
        content_type="application/pdf",
    )
    if not request.user.is_authenticated:
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
    return response
