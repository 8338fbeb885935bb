"""Server-side SVG charts of maturity (pygal), for the pages and the PDF report.

The SVG has no script and no XML declaration, so it can be inlined in HTML
or in a WeasyPrint document; it carries a ``<title>`` and a ``<desc>`` for
screen readers, and the pages show the same numbers in a table.
"""

from __future__ import annotations

import re
from typing import Any

import pygal
from django.utils.html import escape
from django.utils.translation import gettext as _
from pygal.style import Style

from strategy.models import Organisation

from .models import MaturityModel
from .services import unit_history_build

# Distinguishable on white and in greyscale print; lines also get dots of
# different sizes, so the series never differ by colour alone.
PALETTE = ("#00497a", "#b35c00", "#1d6b34", "#a4161a", "#5b3f8c", "#4a5360", "#1f4e8c", "#8a5300")


def _accessible(svg: str, title: str, desc: str) -> str:
    """Give the root <svg> a role, a <title> and a <desc> (first children)."""
    match = re.match(r"<svg\b[^>]*>", svg)
    if match is None:  # pragma: no cover - pygal always starts with <svg
        return svg
    opening = match.group(0)
    uid = re.search(r'id="([^"]+)"', opening)
    base = uid.group(1) if uid else "maturity-chart"
    tag = opening[:-1] + f' role="img" aria-labelledby="{base}-title {base}-desc">'
    return (
        tag
        + f'<title id="{base}-title">{escape(title)}</title><desc id="{base}-desc">{escape(desc)}</desc>'
        + svg[len(opening):]
    )


def history_chart_svg(history: dict[str, Any], *, width: int = 800, height: int = 420) -> str:
    """An SVG line chart of ``unit_history_build``'s data: one line per
    dimension, years across, levels (by name) up the side."""
    levels = history["levels"]
    style = Style(
        background="white",
        plot_background="white",
        foreground="#1b1f24",
        foreground_strong="#1b1f24",
        foreground_subtle="#c9d1da",
        colors=PALETTE,
        font_family="DejaVu Sans, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=16,
    )
    title = _("Maturity of %(unit)s over the years") % {"unit": history["unit"]["name"]}
    chart = pygal.Line(
        width=width,
        height=height,
        style=style,
        disable_xml_declaration=True,
        js=[],
        title=title,
        show_dots=True,
        dots_size=4,
        allow_interruptions=True,
        range=(levels[0]["ordinal"], levels[-1]["ordinal"]) if levels else None,
        y_labels=[{"label": level["name"], "value": level["ordinal"]} for level in levels],
        legend_at_bottom=True,
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
    return _accessible(chart.render(is_unicode=True), title, desc)


def unit_history_svg(*, model: MaturityModel, unit: Organisation, width: int = 800, height: int = 420) -> str:
    """The chart of one unit across the years, ready to inline in HTML or a PDF."""
    return history_chart_svg(unit_history_build(model=model, unit=unit), width=width, height=height)
