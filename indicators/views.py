"""Indicator pages: the list, one indicator with its chart, entering values,
spreadsheet import and export, and the Agenda 2030 filter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy.fragments import (
    CSRF_SLOT,
    FRAGMENT_SECONDS,
    cached,
    data_stamp,
    fragment_key,
    history_stamp,
    reader_key,
    stamp_for,
    with_csrf,
)
from strategy.htmx import CONFLICT, INVALID, render_page, wants_fragment
from strategy.models import Action, Organisation, Strategy, SustainableDevelopmentGoal
from strategy.security import security_event
from strategy.views.overview import get_strategy_for_user

from . import exporting
from .charts import indicator_chart_svg, sparkline_svg
from .forms import ImportForm, ValueForm
from .history import value_changes
from .importing import ImportFileError, error_message
from .models import EntryRights, ImportJob, Indicator, Measurement, ScaleLevel, Target, entry_rights
from .numbers import input_value
from .services import (
    EntryError,
    IndicatorSummary,
    Series,
    ValueConflictError,
    import_job_cancel,
    import_job_create,
    import_job_start_apply,
    indicator_attachment,
    indicator_summary,
    indicator_value_display,
    indicators_for_list,
    indicators_with_values,
    judgement_basis,
    judgement_year,
    level_labels,
    measurement_record,
    status_with_basis,
    target_record,
)
from .status import Status

GROUPINGS = ("perspective", "goal", "focus_area")
# Rows per page of the indicator list: enough to scan, few enough to stay fast.
PAGE_SIZE = 50
MAX_ERRORS_SHOWN = 500


def _sdg_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("sdg", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 17 else None


def _grouping_labels() -> dict[str, str]:
    return {"perspective": _("Perspective"), "goal": _("Goal"), "focus_area": _("Focus area")}


@dataclass(frozen=True)
class ListFilters:
    """What the indicator list (and its export) is narrowed to, read from
    the query string. Unknown or malformed values count as not given."""

    year: int
    group: str = ""
    perspective: int | None = None
    focus_area: int | None = None
    unit: int | None = None
    status: str = ""
    sdg: int | None = None

    @property
    def narrowed(self) -> bool:
        """Whether any filter leaves indicators out (the year and grouping do not)."""
        return any((self.perspective, self.focus_area, self.unit, self.status, self.sdg))

    def query(self) -> str:
        """The filters as a query string ("" when none), for export links."""
        params = {
            "perspective": self.perspective,
            "focus_area": self.focus_area,
            "unit": self.unit,
            "year": self.year,
            "status": self.status,
            "sdg": self.sdg,
        }
        given = {key: value for key, value in params.items() if value not in (None, "")}
        return urlencode(given)


def _id_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


def list_filters(request: HttpRequest, strategy: Strategy) -> ListFilters:
    """The list's filters from the request; the year defaults to the year pages judge by."""
    year = _id_param(request, "year")
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    return ListFilters(
        year=year if year in strategy.years else judgement_year(strategy),
        group=group if group in GROUPINGS else "",
        perspective=_id_param(request, "perspective"),
        focus_area=_id_param(request, "focus_area"),
        unit=_id_param(request, "unit"),
        status=status if status in Status.values else "",
        sdg=_sdg_param(request),
    )


def filtered_indicators(strategy: Strategy, filters: ListFilters) -> QuerySet[Indicator]:
    """The strategy's indicators narrowed by every filter but the status,
    which needs the values (``judged_indicators``)."""
    queryset = Indicator.objects.filter(strategy=strategy)
    if filters.perspective:
        queryset = queryset.filter(perspective_id=filters.perspective)
    if filters.focus_area:
        queryset = queryset.filter(focus_area_id=filters.focus_area)
    if filters.unit:
        # Indicators this unit reports or has targets for.
        queryset = queryset.filter(
            Exists(Measurement.objects.filter(indicator=OuterRef("pk"), unit_id=filters.unit))
            | Exists(Target.objects.filter(indicator=OuterRef("pk"), unit_id=filters.unit))
        )
    if filters.sdg:
        queryset = queryset.filter(sdgs__number=filters.sdg)
    return queryset


def judged_indicators(
    strategy: Strategy, queryset: QuerySet[Indicator], *, year: int, status: str = ""
) -> list[IndicatorSummary]:
    """The summaries of ``queryset``'s indicators as of ``year`` (values
    prefetched, a fixed number of queries), only those of ``status`` if given."""
    summaries = []
    for indicator in indicators_for_list(queryset, strategy=strategy):
        summary = indicator_summary(indicator, year=year)
        if not status or summary.status == status:
            summaries.append(summary)
    return summaries


def _default_grouping(strategy: Strategy) -> str:
    """The first grouping the strategy actually uses (one query)."""
    used = Indicator.objects.filter(strategy=strategy).aggregate(
        **{key: Count(key) for key in GROUPINGS}
    )
    return next((key for key in GROUPINGS if used[key]), "perspective")


def _list_units(strategy: Strategy) -> QuerySet[Organisation]:
    """The units with values or targets in the strategy's indicators, for the unit filter."""
    return (
        Organisation.objects.below(strategy.organisation)
        .filter(
            Exists(Measurement.objects.filter(unit=OuterRef("pk"), indicator__strategy=strategy))
            | Exists(Target.objects.filter(unit=OuterRef("pk"), indicator__strategy=strategy))
        )
        .order_by("path")
    )


class IndicatorListResults:
    """One page of the indicator list, computed on first use: when the
    template finds the page in the fragment cache, none of it is read."""

    def __init__(self, request: HttpRequest, strategy: Strategy, filters: ListFilters) -> None:
        self.request, self.strategy, self.filters = request, strategy, filters

    @cached_property
    def group_by(self) -> str:
        return self.filters.group or _default_grouping(self.strategy)

    @cached_property
    def _paged(self) -> tuple[Page, list[IndicatorSummary]]:
        strategy, filters, group_by = self.strategy, self.filters, self.group_by
        queryset = filtered_indicators(strategy, filters).order_by(
            F(f"{group_by}__order").asc(nulls_last=True), f"{group_by}_id", "order", "pk"
        )
        number = self.request.GET.get("page")
        if filters.status:
            # The status is judged from the values: judge the narrowed set, then page it.
            judged = judged_indicators(strategy, queryset, year=filters.year, status=filters.status)
            page = Paginator(judged, PAGE_SIZE).get_page(number)
            return page, list(page.object_list)
        page = Paginator(queryset, PAGE_SIZE).get_page(number)
        return page, [
            indicator_summary(indicator, year=filters.year)
            for indicator in indicators_for_list(page.object_list, strategy=strategy)
        ]

    @property
    def page(self) -> Page:
        return self._paged[0]

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @cached_property
    def groups(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        summaries = self._paged[1]
        return [
            (group, [_row(summary) for summary in members])
            for group, members in groupby(summaries, key=lambda summary: getattr(summary.indicator, self.group_by))
        ]


def _list_fragment_key(request: HttpRequest, strategy: Strategy, filters: ListFilters) -> str:
    """The key of the list's cached form and table: the strategy's content
    (indicators are part of it), the organisations, every value, target and
    scale level, the year judged by (it defaults to one that follows the
    calendar) and the query string (the page links repeat it)."""
    stamp = stamp_for(strategy, history_stamp(Measurement, Target, ScaleLevel))
    return fragment_key("indicator-list", strategy.pk, stamp, filters.year, sorted(request.GET.lists()))


@require_GET
@login_required
def indicator_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategy's indicators, PAGE_SIZE at a time, grouped and filtered
    by the query string; every indicator is reachable through the pages.

    The filter form and the table are cached by what they show
    (``strategy.fragments``); ``results`` is only computed on a miss."""
    strategy = get_strategy_for_user(request, slug)
    filters = list_filters(request, strategy)
    results = IndicatorListResults(request, strategy, filters)
    context = {
        "strategy": strategy,
        "year": filters.year,
        "filters": filters,
        "results": results,
        "grouping_labels": _grouping_labels(),
        "sdgs": SustainableDevelopmentGoal.objects.all(),
        "sdg": filters.sdg,
        "perspectives": strategy.perspectives.all(),
        "focus_areas": strategy.focus_areas.all(),
        "units": _list_units(strategy),
        "statuses": Status.choices,
        "export_query": filters.query(),
        # Read only when the cached import link is not (two queries).
        "rights": SimpleLazyObject(lambda: entry_rights(user=request.user, strategy=strategy)),
        "reach": reader_key(request.user),
        "fragment_key": _list_fragment_key(request, strategy, filters),
        "fragment_seconds": FRAGMENT_SECONDS,
    }
    return render_page(request, "indicators/indicator_list.html", context, fragment="indicator-table")


def _row(summary: IndicatorSummary) -> dict[str, Any]:
    return {
        **indicator_figures(summary),
        "broken_down": bool(summary.unit_series),
        "attached": indicator_attachment(summary.indicator),
    }


def indicator_figures(summary: IndicatorSummary) -> dict[str, Any]:
    """What a row of an indicator list shows: latest value, target, the
    status with what it was judged on, and a sparkline, formatted as on the
    indicator's page. The signed-in and the public lists both use it."""
    indicator = summary.indicator
    fmt = _formatter(indicator)
    latest = summary.latest
    trend = summary.trend
    known = [(year, value) for year, value in zip(summary.years, trend, strict=True) if value is not None]
    description = "; ".join(f"{year}: {fmt(value)}" for year, value in known) or _("No measured values yet.")
    return {
        "indicator": indicator,
        "summary": summary,
        "latest": f"{fmt(latest[1])} ({latest[0]})" if latest else "",
        "target": fmt(summary.target) if summary.target is not None else "",
        "badge": summary.badge,
        "basis": summary.basis,
        "next_target": summary.next_target,
        # Plain SVG whose texts ``sparkline_svg`` escapes.
        "sparkline": sparkline_svg(
            values=trend, title=_("Trend of %(name)s") % {"name": indicator.name}, description=description
        )
        if len(known) > 1
        else "",
    }


def series_badge(indicator: Indicator, series: Series) -> str:
    """One series' status with what it was judged on ("Achieved — 2025 target 9 900")."""
    return status_with_basis(series.status, judgement_basis(indicator, series.judgement))


def _formatter(indicator: Indicator) -> Any:
    def fmt(value: Decimal | float | None) -> str:
        return indicator_value_display(indicator, value)

    return fmt


def _input(indicator: Indicator, value: Decimal | None) -> str:
    """What a grid cell's input holds: the number as typed, or the level's ordinal for the select."""
    if indicator.is_qualitative:
        return "" if value is None else str(int(value))
    return input_value(value)


def _get_indicator(request: HttpRequest, slug: str, pk: int) -> tuple[Strategy, Indicator]:
    strategy = get_strategy_for_user(request, slug)
    indicator = get_object_or_404(indicators_with_values(Indicator.objects.filter(strategy=strategy)), pk=pk)
    indicator.strategy = strategy
    return strategy, indicator


def _extra_units(rights: EntryRights, indicator: Indicator) -> list[Organisation]:
    """Units that get a column in the entry grid even without values yet: a
    head's own units; for an owner, every unit once the indicator is broken
    down by unit (an owner does not want ten empty columns on a city-wide figure)."""
    if not rights.unit_ids:
        return []
    if rights.totals:
        broken_down = any(m.unit_id for m in indicator.measurements.all()) or any(
            t.unit_id for t in indicator.targets.all()
        )
        if not broken_down:
            return []
    return list(Organisation.objects.filter(pk__in=rights.unit_ids).order_by("path"))


def _chart(indicator: Indicator, summary: IndicatorSummary, series: Series) -> str:
    fmt = _formatter(indicator)
    lines: list[tuple[str, list[Any], str]] = [
        (_("Actual"), [series.actuals.get(y) for y in summary.years], "actual"),
    ]
    if any(v is not None for v in series.path.values()):
        lines.append((_("Target"), [series.path.get(y) for y in summary.years], "target"))
    if series.unit is None and indicator.baseline_value is not None:
        label = _("Baseline %(year)s") % {"year": indicator.baseline_year} if indicator.baseline_year else _("Baseline")
        lines.append((label, [indicator.baseline_value for _y in summary.years], "baseline"))
    title = f"{indicator.name}: {series.label}"
    latest = max(series.actuals) if series.actuals else None
    if latest:
        description = _("Measured values from %(first)s to %(last)s against the target path. Latest: %(value)s in %(year)s. Status: %(status)s.") % {
            "first": summary.years[0],
            "last": summary.years[-1],
            "value": fmt(series.actuals[latest]),
            "year": latest,
            "status": series_badge(indicator, series),
        }
    else:
        description = _("No measured values yet.")
    arguments = {
        "title": title,
        "description": description,
        "years": tuple(summary.years),
        "series": tuple((label, tuple(values), kind) for label, values, kind in lines),
        "no_data_text": _("No data"),
        "levels": tuple(sorted(level_labels(indicator).items())) if indicator.is_qualitative else (),
    }
    # pygal takes most of the page's time; the chart is a function of these
    # arguments and of how ``fmt`` writes a value, so it is kept by them.
    key = fragment_key("indicator-chart", repr(arguments), indicator.kind, indicator.decimals, indicator.is_percentage)
    return cached(key, lambda: indicator_chart_svg(**arguments, value_formatter=lambda value: fmt(value)))


def _recorded(measurement: Any) -> str:
    """Who entered a measured value and when, for the grid."""
    if measurement is None:
        return ""
    user = measurement.entered_by
    who = (user.get_full_name() or user.get_username()) if user else _("unknown")
    when = date_format(timezone.localtime(measurement.entered_at), "SHORT_DATE_FORMAT")
    return _("Entered by %(who)s on %(when)s") % {"who": who, "when": when}


def _detail_context(
    request: HttpRequest,
    strategy: Strategy,
    indicator: Indicator,
    *,
    cell_error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    rights = entry_rights(user=request.user, strategy=strategy)
    year = judgement_year(strategy)
    units = _extra_units(rights, indicator)
    summary = indicator_summary(indicator, year=year, extra_units=units)
    fmt = _formatter(indicator)
    # Markup built by pygal, which escapes the texts in it (never user HTML).
    charts = [
        {"series": s, "svg": mark_safe(_chart(indicator, summary, s)), "badge": series_badge(indicator, s)}
        for s in summary.series
    ]
    table = [
        {
            "year": y,
            "cells": [
                {"target": fmt(s.path.get(y)), "explicit": y in s.targets, "actual": fmt(s.actuals.get(y))}
                for s in summary.series
            ],
        }
        for y in summary.years
    ]
    grid = []
    for kind in ("actual", "target"):
        editable = [s for s in summary.series if (rights.may_enter(s.unit.pk if s.unit else None) if kind == "actual" else rights.targets)]
        if not editable:
            continue
        rows = []
        for y in summary.years:
            cells = []
            for s in editable:
                measurement = s.measurements.get(y) if kind == "actual" else None
                value = s.actuals.get(y) if kind == "actual" else s.targets.get(y)
                row = measurement if kind == "actual" else s.target_rows.get(y)
                error = conflict = None
                typed = _input(indicator, value)
                version = row.version if row is not None else 0
                if cell_error and cell_error["kind"] == kind and cell_error["year"] == y and cell_error["unit"] == s.key:
                    error, typed = cell_error["error"], cell_error["typed"]
                    conflict = cell_error.get("conflict")
                    if conflict is not None:
                        # Saving the typed value again is then a choice made knowing theirs.
                        version = conflict.current_version
                url_name = "measurement-edit" if kind == "actual" else "target-edit"
                cells.append(
                    {
                        "id": f"{kind}-{s.key}-{y}",
                        "url": reverse(url_name, args=[strategy.slug, indicator.pk, y, s.key]),
                        "value": typed,
                        "version": version,
                        "error": error,
                        "conflict": conflict,
                        "label": _("%(kind)s, %(unit)s, %(year)s")
                        % {"kind": _("Actual value") if kind == "actual" else _("Target"), "unit": s.label, "year": y},
                        "recorded": _recorded(measurement),
                    }
                )
            rows.append({"year": y, "cells": cells})
        conflicts = [cell for row in rows for cell in row["cells"] if cell["conflict"] is not None]
        grid.append({"kind": kind, "series": editable, "rows": rows, "conflict": conflicts[0] if conflicts else None})
    return {
        "strategy": strategy,
        "indicator": indicator,
        "summary": summary,
        "year": year,
        "charts": charts,
        "table": table,
        "grid": grid,
        "rights": rights,
        "level_choices": [(str(ordinal), label) for ordinal, label in sorted(level_labels(indicator).items())],
        "attached": indicator_attachment(indicator),
        "baseline": fmt(indicator.baseline_value),
        "latest": f"{fmt(summary.latest[1])} ({summary.latest[0]})" if summary.latest else "",
        "target": fmt(summary.target),
        **_history_context(indicator, fmt),
    }


def _history_context(indicator: Indicator, fmt: Any) -> dict[str, Any]:
    """Who changed which target or value and when, for the page's history table."""
    changes, more = value_changes(indicator)
    rows = [
        {
            "at": change.at,
            "user": change.user,
            "what": _("Target") if change.kind == "target" else _("Actual value"),
            "year": change.year,
            "unit": change.unit.name if change.unit else _("Total"),
            "old": fmt(change.old),
            "new": fmt(change.new),
        }
        for change in changes
    ]
    return {"history": rows, "history_truncated": more}


@require_GET
@login_required
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The indicator's figures, charts, entry grid and history. Its header and
    body are kept in the fragment cache by what they show: the strategy's
    content (the indicator and its links), the organisations, every value,
    target and scale level and their histories, the people's names (who
    entered what), the year judged by and the reader's reach (which cells they may enter); the reader's CSRF token goes
    into the grid's forms afterwards."""
    strategy = get_strategy_for_user(request, slug)
    key = fragment_key(
        "indicator-page",
        strategy.pk,
        pk,
        stamp_for(strategy, history_stamp(Measurement, Target, ScaleLevel), data_stamp("people")),
        judgement_year(strategy),
        reader_key(request.user),
    )
    page = cached(key, lambda: _detail_page(request, strategy, pk))
    context = {"strategy": strategy, **page, "body": with_csrf(page["body"], request)}
    return render_page(request, "indicators/indicator_detail.html", context, fragment="indicator-body")


def _detail_page(request: HttpRequest, strategy: Strategy, pk: int) -> dict[str, str]:
    """The indicator page's title, header and body, rendered for the cache (404 for an unknown indicator)."""
    indicator = get_object_or_404(indicators_with_values(Indicator.objects.filter(strategy=strategy)), pk=pk)
    indicator.strategy = strategy
    context = {**_detail_context(request, strategy, indicator), "csrf_token": CSRF_SLOT}
    template = "indicators/indicator_detail.html"
    return {
        "title": str(indicator.name),
        "header": render_to_string(f"{template}#indicator-header", context),
        "body": render_to_string(f"{template}#indicator-body-content", context),
    }


def _cell(request: HttpRequest, slug: str, pk: int, year: int, unit: str, kind: str) -> HttpResponse:
    strategy, indicator = _get_indicator(request, slug, pk)
    if year not in strategy.years:
        raise Http404
    unit_obj: Organisation | None = None
    if unit != "total":
        if not unit.isdigit():
            raise Http404
        unit_obj = get_object_or_404(Organisation.objects.units().below(strategy.organisation), pk=int(unit))
    rights = entry_rights(user=request.user, strategy=strategy)
    allowed = rights.targets if kind == "target" else rights.may_enter(unit_obj.pk if unit_obj else None)
    if not allowed:
        raise PermissionDenied
    form = ValueForm(request.POST or None, indicator=indicator)
    conflict: ValueConflictError | None = None
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"]
        record = measurement_record if kind == "actual" else target_record
        try:
            record(
                indicator=indicator,
                year=year,
                unit=unit_obj,
                value=value,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EntryError as exc:
            form.add_error("value", exc.message)
        except ValueConflictError as exc:
            conflict = exc
        else:
            if wants_fragment(request):
                _strategy, fresh = _get_indicator(request, slug, pk)
                context = _detail_context(request, strategy, fresh)
                context["announcement"] = _("Saved %(what)s for %(unit)s, %(year)s. Status: %(status)s.") % {
                    "what": _("the actual value") if kind == "actual" else _("the target"),
                    "unit": unit_obj.name if unit_obj else _("Total"),
                    "year": year,
                    "status": context["summary"].badge,
                }
                return render(request, "indicators/indicator_detail.html#indicator-body-content", context)
            messages.success(request, _("Saved."))
            return redirect("indicator-detail", strategy.slug, indicator.pk)
    if request.method == "POST" and wants_fragment(request):
        # The grid again, with the error or the conflict at the cell; the cell
        # keeps what the person typed (or chose).
        cell_error = {
            "kind": kind,
            "year": year,
            "unit": unit,
            "error": " ".join(str(e) for e in form.errors.get("value", [])),
            "typed": request.POST.get("value", ""),
            "conflict": conflict,
        }
        _strategy, fresh = _get_indicator(request, slug, pk)
        context = _detail_context(request, strategy, fresh, cell_error=cell_error)
        context["announcement"] = (
            _("Not saved: someone else changed this value after you opened it.") if conflict else cell_error["error"]
        )
        return render(
            request, "indicators/indicator_detail.html#indicator-body-content", context, status=CONFLICT if conflict else INVALID
        )
    existing = (indicator.measurements if kind == "actual" else indicator.targets).all()
    unit_id = unit_obj.pk if unit_obj else None
    row = next((v for v in existing if v.year == year and v.unit_id == unit_id), None)
    if request.method == "GET":
        initial = {"value": _input(indicator, row.value if row else None), "version": row.version if row else 0}
        form = ValueForm(initial=initial, indicator=indicator)
    elif conflict is not None:
        # The person's value stays in the box, on top of the version now stored.
        data = request.POST.copy()
        data["version"] = str(conflict.current_version)
        form = ValueForm(data, indicator=indicator)
        form.is_valid()
    context = {
        "strategy": strategy,
        "indicator": indicator,
        "form": form,
        "conflict": conflict,
        "year": year,
        "unit": unit_obj,
        "kind": kind,
        "kind_label": _("Actual value") if kind == "actual" else _("Target"),
    }
    status = CONFLICT if conflict else (INVALID if form.errors else 200)
    return render(request, "indicators/value_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def measurement_edit(request: HttpRequest, slug: str, pk: int, year: int, unit: str) -> HttpResponse:
    return _cell(request, slug, pk, year, unit, "actual")


@require_http_methods(["GET", "POST"])
@login_required
def target_edit(request: HttpRequest, slug: str, pk: int, year: int, unit: str) -> HttpResponse:
    return _cell(request, slug, pk, year, unit, "target")


@require_GET
@login_required
def indicator_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every indicator of the list's filters (all of them without any), not one page."""
    strategy = get_strategy_for_user(request, slug)
    filters = list_filters(request, strategy)
    queryset = filtered_indicators(strategy, filters).order_by("order", "pk")
    if filters.status:
        judged = judged_indicators(strategy, queryset, year=filters.year, status=filters.status)
        queryset = queryset.filter(pk__in=[summary.indicator.pk for summary in judged])
    indicators = list(indicators_with_values(queryset))
    security_event("export.indicators", request=request, strategy=strategy.slug, format=fmt)
    if fmt == "xlsx":
        return exporting.xlsx_response(strategy=strategy, indicators=indicators)
    return exporting.csv_response(strategy=strategy, indicators=indicators)


# --- import --------------------------------------------------------------------------------


def _import_rights(request: HttpRequest, strategy: Strategy) -> EntryRights:
    rights = entry_rights(user=request.user, strategy=strategy)
    if not rights.any:
        raise PermissionDenied
    return rights


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    _import_rights(request, strategy)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(strategy=strategy, user=request.user, upload=upload)
        except ImportFileError as exc:
            # Oversized and crafted archives are what an attacker would try.
            security_event(
                "import.refused", request=request, strategy=strategy.slug, reason=exc.code, name=upload.name[:100], size=upload.size
            )
            form.add_error("file", error_message(exc.as_dict()))
        else:
            return redirect("import-detail", strategy.slug, job.pk)
    jobs = ImportJob.objects.filter(strategy=strategy, created_by=request.user).defer("checked_rows")[:10]
    return render(
        request,
        "indicators/import_upload.html",
        {"strategy": strategy, "form": form, "jobs": jobs, "limits": _import_limits()},
        status=INVALID if form.errors else 200,
    )


def _import_limits() -> dict[str, str]:
    return {
        "megabytes": number_format(settings.SUUNTA_IMPORT_MAX_BYTES // (1024 * 1024) or 1, force_grouping=True),
        "rows": number_format(settings.SUUNTA_IMPORT_MAX_ROWS, force_grouping=True),
    }


def _get_job(request: HttpRequest, slug: str, job_id: int) -> tuple[Strategy, ImportJob]:
    strategy = get_strategy_for_user(request, slug)
    _import_rights(request, strategy)
    # Jobs are private to their uploader: another person's job is a 404.
    jobs = ImportJob.objects.filter(strategy=strategy, created_by=request.user).defer("checked_rows")
    return strategy, get_object_or_404(jobs, pk=job_id)


def _job_context(strategy: Strategy, job: ImportJob) -> dict[str, Any]:
    errors = [{**error, "message": error_message(error)} for error in job.errors[:MAX_ERRORS_SHOWN]]
    file_problems = [e for e in errors if e["row"] is None]
    return {
        "strategy": strategy,
        "job": job,
        "errors": errors,
        # Errors of the file as a whole, and the reasons a job failed, read as sentences.
        "file_problems": file_problems,
        "row_errors": [e for e in errors if e["row"] is not None],
        "more_errors": max(len(job.errors) - MAX_ERRORS_SHOWN, 0),
        "summary": job.summary,
    }


def _job_response(request: HttpRequest, strategy: Strategy, job: ImportJob) -> HttpResponse:
    """POST answers: the status fragment for htmx, else back to the job page."""
    if wants_fragment(request):
        job.refresh_from_db()
        return render(request, "indicators/import_detail.html#import-status", _job_context(strategy, job))
    return redirect("import-detail", strategy.slug, job.pk)


@require_GET
@login_required
def import_detail(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    strategy, job = _get_job(request, slug, job_id)
    template = "indicators/import_detail.html"
    return render_page(request, template, _job_context(strategy, job), fragment="import-status")


@require_POST
@login_required
def import_apply(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """Queue the save of a checked import; a worker writes it."""
    strategy, job = _get_job(request, slug, job_id)
    if not import_job_start_apply(job=job):
        messages.error(request, _("This import cannot be saved: check its status."))
    return _job_response(request, strategy, job)


@require_POST
@login_required
def import_cancel(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """Drop a checked import without saving it."""
    strategy, job = _get_job(request, slug, job_id)
    if not import_job_cancel(job=job):
        messages.error(request, _("This import cannot be cancelled: check its status."))
    return _job_response(request, strategy, job)


# --- Agenda 2030 ---------------------------------------------------------------------------


@require_GET
@login_required
def sdg_filter(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    sdg = _sdg_param(request)
    indicators = Indicator.objects.filter(strategy=strategy).prefetch_related("sdgs").order_by("order", "pk")
    actions = (
        Action.objects.filter(strategy=strategy)
        .select_related("focus_area")
        .prefetch_related("sdgs", Prefetch("responsible_units", queryset=Organisation.objects.order_by("path")))
    )
    if sdg:
        indicators = indicators.filter(sdgs__number=sdg)
        actions = actions.filter(sdgs__number=sdg)
    else:
        indicators = indicators.filter(sdgs__isnull=False).distinct()
        actions = actions.filter(sdgs__isnull=False).distinct()
    context = {
        "strategy": strategy,
        "sdgs": SustainableDevelopmentGoal.objects.all(),
        "sdg": sdg,
        "indicators": indicators,
        "actions": actions,
    }
    template = "indicators/sdg_filter.html"
    return render_page(request, template, context, fragment="sdg-results")
