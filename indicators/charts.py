"""Indicator charts as self-contained SVG strings, drawn by pygal.

The same string goes inline into an HTML page and into a WeasyPrint PDF:
no scripts, no XML declaration, no external files. Each chart carries a
``<title>`` and a ``<desc>`` and is exposed to assistive technology as one
image (``role="img"`` labelled by them); the numbers themselves are in the
data table printed next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import pygal

from strategy.charts import PALETTE, STYLE, accessible_svg

SPARKLINE_CSS = f"inline:.pygal-sparkline .line{{stroke:{PALETTE[0]};fill:none}}.pygal-sparkline .background{{fill:none}}"

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


def sparkline_svg(*, values: Sequence[Number], title: str, description: str) -> str:
    """A small trend line without axes, for tables of many indicators."""
    chart = pygal.Line(
        style=STYLE,
        width=120,
        height=28,
        disable_xml_declaration=True,
        js=[],
        # Only pygal's base rules and one line colour: a list page carries hundreds of these.
        css=[SPARKLINE_CSS],
        allow_interruptions=True,
        show_dots=False,
        no_data_text="",
    )
    chart.add("", _floats(values), stroke_style={"width": 3})
    chart.add_xml_filter(accessible_svg(title=title, description=description))
    return chart.render_sparkline(is_unicode=True, width=120, height=28)
