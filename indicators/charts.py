"""Indicator charts as self-contained SVG strings: the big chart drawn by
pygal, the sparklines of list rows built as plain SVG.

The same string goes inline into an HTML page and into a WeasyPrint PDF:
no scripts, no XML declaration, no external files. Each chart carries a
``<title>`` and a ``<desc>`` and is exposed to assistive technology as one
image (``role="img"`` labelled by them); the numbers themselves are in the
data table printed next to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from strategy import chartstyle
from strategy.charts import STYLE, accessible_svg

Number = Decimal | float | None


def _floats(values: Sequence[Number]) -> list[float | None]:
    return [float(value) if value is not None else None for value in values]


def indicator_chart_svg(
    *,
    title: str,
    description: str,
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[Number], str]],
    value_formatter: Callable[[float], str] = str,
    no_data_text: str = "",
    levels: Sequence[tuple[int, str]] = (),
) -> str:
    """A line chart over ``years``; ``series`` are (label, values, kind) with
    kind "actual", "target" (dashed) or "baseline" (dotted). Missing values
    break the line instead of pretending a zero.

    ``levels`` (ordinal, label) are the scale of a qualitative indicator:
    the y axis then names the levels instead of numbers."""
    chart = pygal.Line(
        style=STYLE,
        width=720,
        height=360,
        disable_xml_declaration=True,
        js=[],
        show_legend=True,
        legend_at_bottom=True,
        # pygal reserves no room for the legend row when there are fewer series than columns.
        legend_at_bottom_columns=len(series) or 1,
        allow_interruptions=True,
        dots_size=4,
        truncate_legend=-1,
        value_formatter=value_formatter,
        no_data_text=no_data_text,
        margin_bottom=8,
    )
    chart.x_labels = [str(year) for year in years]
    if levels:
        chart.y_labels = [{"value": ordinal, "label": label} for ordinal, label in levels]
        chart.range = (levels[0][0], levels[-1][0])
    for label, values, kind in series:
        options: dict[str, object] = {}
        if kind == "target":
            options["stroke_style"] = {"width": 2, "dasharray": "8, 5"}
        elif kind == "baseline":
            options["stroke_style"] = {"width": 2, "dasharray": "2, 4"}
            options["show_dots"] = False
        else:
            options["stroke_style"] = {"width": 3}
        chart.add(label, _floats(values), **options)
    chart.add_xml_filter(accessible_svg(title=title, description=description))
    return chart.render(is_unicode=True)


def _points(
    values: Sequence[Number], width: int, height: int, pad: float
) -> list[list[tuple[float, float]]]:
    """The runs of known values as (x, y) in the sparkline's box; a missing
    value ends a run, as in the big chart, instead of pretending a zero."""
    known = [float(value) for value in values if value is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    span = high - low
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        share = (float(value) - low) / span if span else 0.5
        runs[-1].append((pad + index * step, height - pad - share * (height - 2 * pad)))
    return [run for run in runs if run]


def _xy(point: tuple[float, float]) -> str:
    return f"{point[0]:.1f},{point[1]:.1f}"


def sparkline_svg(*, values: Sequence[Number], title: str, description: str) -> SafeString:
    """A small trend line without axes, for tables of many indicators.

    Plain SVG built here, no charting library: a list page carries dozens of
    these. Colours are presentation attributes (the Content Security Policy
    allows no inline CSS); ``title`` and ``description`` are escaped, and name
    the image for assistive technology."""
    width, height = chartstyle.SPARKLINE_WIDTH, chartstyle.SPARKLINE_HEIGHT
    pad = chartstyle.SPARKLINE_DOT_RADIUS + 1
    runs = _points(values, width, height, pad)
    base = f"spark-{uuid.uuid4().hex[:12]}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{base}-title {base}-desc" focusable="false">',
        f'<title id="{base}-title">{escape(title)}</title><desc id="{base}-desc">{escape(description)}</desc>',
    ]
    line = (
        f'fill="none" stroke="{chartstyle.ACTUAL}" stroke-width="{chartstyle.SPARKLINE_STROKE_WIDTH}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )
    dots = [run[0] for run in runs if len(run) == 1]  # a value alone between gaps
    for run in runs:
        if len(run) > 1:
            parts.append(f'<polyline {line} points="{" ".join(_xy(point) for point in run)}"/>')
    if runs and runs[-1][-1] not in dots:
        dots.append(runs[-1][-1])  # the latest value
    for x, y in dots:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{chartstyle.SPARKLINE_DOT_RADIUS}" fill="{chartstyle.ACTUAL}"/>'
        )
    parts.append("</svg>")
    # Every text in it was escaped above; the rest are numbers and constants.
    return mark_safe("".join(parts))
