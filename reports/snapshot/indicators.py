"""The snapshot's indicators: each indicator judged by the indicators app's
``indicator_summary``, the function the indicator pages use, as of the
report's last year.

A report of the whole strategy gives the headline status the pages give (the
total's, or for an indicator kept per unit only the worst of the units') and
each unit's own status. A unit's report gives the unit's own series, judged
as the indicator page judges it (against the unit's targets, without the
total's baseline), where the unit has one; else the whole strategy's figures.
"""

from __future__ import annotations

from typing import Any

from indicators.models import Indicator
from indicators.numbers import level_display
from indicators.services import IndicatorSummary, Series, indicator_summary, indicators_with_values
from indicators.status import Status as IndicatorStatus
from indicators.status import latest, target_path
from strategy.models import Direction, Strategy

from .common import Scope, choice_labels, decimal_text, instance_texts


def _subject(summary: IndicatorSummary, scope: Scope) -> Series | None:
    """The series a report prints as the indicator's figures."""
    if scope.unit is not None:
        own = next((s for s in summary.unit_series if s.unit.pk == scope.unit.pk), None)
        if own is not None:
            return own
    return summary.total


def _listed_units(summary: IndicatorSummary, scope: Scope, subject: Series | None) -> list[Series]:
    """The units whose own figures are listed: all of them, or in a unit's
    report those of its subtree other than the unit itself."""
    if scope.unit is None:
        return summary.unit_series
    return [
        s
        for s in summary.unit_series
        if s is not subject and s.unit.path.startswith(scope.unit.path)
    ]


def _facts(
    indicator: Indicator, series: Series | None, year: int, levels: dict[int, str]
) -> dict[str, Any]:
    """The latest value of a series at or before ``year``, the target it is
    judged against (that of the year it was measured in) and the baseline."""
    is_total = series is not None and series.unit is None
    baseline = indicator.baseline_value if is_total else None
    baseline_year = indicator.baseline_year if is_total else None
    found = latest(series.actuals, year=year) if series is not None else None
    target = None
    if found is not None:
        target = target_path(
            years=[found[0]],
            targets=series.targets,  # type: ignore[union-attr]
            baseline_year=baseline_year,
            baseline=baseline,
            steps=indicator.is_qualitative,
        )[found[0]]
    value = found[1] if found is not None else None
    facts: dict[str, Any] = {
        "latest_year": found[0] if found is not None else None,
        "latest_value": decimal_text(value),
        "latest_target": decimal_text(target),
        "baseline_year": baseline_year,
        "baseline_value": decimal_text(baseline),
    }
    if indicator.is_qualitative:
        facts["qualitative"] = {
            "levels": [{"ordinal": o, "label": label} for o, label in sorted(levels.items())],
            "actual_label": level_display(levels, value),
            "target_label": level_display(levels, target),
            "baseline_label": level_display(levels, baseline),
        }
    else:
        facts["qualitative"] = None
    return facts


def _status(status: IndicatorStatus, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "status": str(status.value),
        "status_label": labels[status.value],
        "on_track": {"achieved": True, "on_track": True, "off_track": False}.get(status.value),
    }


def _printed_series(series: Series | None, year: int) -> list[dict[str, Any]]:
    """Targets and values by year up to ``year``, for the chart."""
    if series is None:
        return []
    years = sorted(y for y in {*series.targets, *series.actuals} if y <= year)
    return [
        {
            "year": y,
            "target": decimal_text(series.targets.get(y)),
            "value": decimal_text(series.actuals.get(y)),
        }
        for y in years
    ]


def _unit_entry(
    indicator: Indicator,
    series: Series,
    year: int,
    levels: dict[int, str],
    language: str,
    labels: dict[str, str],
) -> dict[str, Any]:
    return {
        "id": series.unit.pk,  # type: ignore[union-attr]
        **{
            ("unit" if key == "name" else "unit_lang"): value
            for key, value in instance_texts(series.unit, language, "name").items()
        },
        **_status(series.status, labels),
        **_facts(indicator, series, year, levels),
    }


def _indicator_entry(
    summary: IndicatorSummary, scope: Scope, language: str, labels: dict[str, dict[str, str]]
) -> dict[str, Any]:
    indicator = summary.indicator
    year = scope.years[-1]
    levels = {
        level.ordinal: instance_texts(level, language, "label")["label"]
        for level in indicator.levels.all()
    }
    subject = _subject(summary, scope)
    status = summary.status if subject is None or subject.unit is None else subject.status
    area = instance_texts(indicator.focus_area, language, "title") if indicator.focus_area else {}
    return {
        **instance_texts(indicator, language, "name", "description", "unit_of_measure"),
        "focus_area": area.get("title", ""),
        **({"focus_area_lang": area["title_lang"]} if "title_lang" in area else {}),
        "kind": indicator.kind,
        "direction": indicator.direction,
        "direction_label": labels["directions"].get(indicator.direction, ""),
        "decimals": indicator.decimals,
        "is_percentage": indicator.is_percentage,
        "data_source": indicator.data_source,
        "subject_unit": instance_texts(subject.unit, language, "name")["name"]
        if subject is not None and subject.unit
        else None,
        **_status(status, labels["statuses"]),
        **_facts(indicator, subject, year, levels),
        "series": _printed_series(subject, year),
        "units": [
            _unit_entry(indicator, series, year, levels, language, labels["statuses"])
            for series in _listed_units(summary, scope, subject)
        ],
    }


def indicators_section(strategy: Strategy, scope: Scope, language: str) -> list[dict[str, Any]]:
    """Indicators with their status, latest figures and targets and values
    per year up to the report's last year (a fixed number of queries)."""
    indicators = list(
        indicators_with_values(Indicator.objects.filter(strategy=strategy).order_by("order", "pk"))
    )
    labels = {
        "directions": choice_labels(Direction.choices),
        "statuses": choice_labels(IndicatorStatus.choices),
    }
    entries = []
    for indicator in indicators:
        indicator.strategy = strategy  # one strategy object for all: no extra queries
        summary = indicator_summary(indicator, year=scope.years[-1])
        entries.append(_indicator_entry(summary, scope, language, labels))
    return entries
