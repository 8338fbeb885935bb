"""Server-side SVG charts of maturity (pygal), for the pages and the PDF report.

The SVG has no script and no XML declaration, so it can be inlined in HTML
or in a WeasyPrint document; it carries a ``<title>`` and a ``<desc>`` for
screen readers, and the pages show the same numbers in a table.
"""

from __future__ import annotations

from typing import Any

import pygal
from django.utils.translation import gettext as _

from strategy.charts import accessible_svg, chart_style
from strategy.models import Organisation

from .models import MaturityModel
from .services import unit_history_build


def history_chart_svg(history: dict[str, Any], *, width: int = 800, height: int = 420) -> str:
    """An SVG bar chart of ``unit_history_build``'s data: for each year one bar
    per dimension, levels (by name) up the side."""
    levels = history["levels"]
    # More colours than the indicator charts: one bar per row of the matrix.
    # Bars stand in the same order every year and the legend and the data
    # table name them, so colour is not the only cue.
    style = chart_style(colors=("#00497a", "#b35c00", "#1d6b34", "#a4161a", "#5b3f8c", "#4a5360", "#1f4e8c", "#8a5300"))
    title = _("Maturity of %(unit)s over the years") % {"unit": history["unit"]["name"]}
    # Bars, not lines: rows often share a level, and lines on top of each
    # other would hide all but one of them.
    top = levels[-1]["ordinal"] if levels else 4
    chart = pygal.Bar(
        width=width,
        height=height,
        style=style,
        disable_xml_declaration=True,
        js=[],
        title=title,
        range=(0, top),
        y_labels=[{"label": level["name"], "value": level["ordinal"]} for level in levels],
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        truncate_legend=-1,
        print_values=False,
        explicit_size=True,
    )
    chart.x_labels = [str(year) for year in history["years"]]
    for series in history["series"]:
        chart.add(f"{series['number']} {series['title']}".strip(), series["values"])
    if history["years"]:
        desc_lines = [
            f"{series['number']} {series['title']}: "
            + ", ".join(f"{year} {label or _('no result')}" for year, label in zip(history["years"], series["labels"], strict=True))
            for series in history["series"]
        ]
        desc = "; ".join(desc_lines)
    else:
        desc = _("No results yet.")
    chart.add_xml_filter(accessible_svg(title=title, description=desc))
    return chart.render(is_unicode=True)


def unit_history_svg(*, model: MaturityModel, unit: Organisation, width: int = 800, height: int = 420) -> str:
    """The chart of one unit across the years, ready to inline in HTML or a PDF."""
    return history_chart_svg(unit_history_build(model=model, unit=unit), width=width, height=height)
