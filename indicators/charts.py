"""Indicator charts as self-contained SVG strings, drawn by pygal.

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
from pygal.etree import etree
from pygal.style import Style

# Colours with at least 4.5:1 contrast on white (the palette of suunta.css):
# actual values, target path, baseline, then further units.
PALETTE = ("#00497a", "#1d6b34", "#4a5360", "#a4161a", "#8a5300", "#6a1b9a", "#1f4e8c")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5360",
    opacity=".9",
    opacity_hover="1",
    colors=PALETTE,
    font_family="'DejaVu Sans', 'Segoe UI', system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=12,
)

SPARKLINE_CSS = f"inline:.pygal-sparkline .line{{stroke:{PALETTE[0]};fill:none}}.pygal-sparkline .background{{fill:none}}"

Number = Decimal | float | None


def _floats(values: Sequence[Number]) -> list[float | None]:
    return [float(value) if value is not None else None for value in values]


def _accessible(*, title: str, description: str) -> Callable[[object], object]:
    """A pygal XML filter: drop the configuration script pygal writes even
    with ``js=[]`` (no JavaScript may run from a chart, and CSP would block it),
    and add a ``<title>``/``<desc>`` pair with an image role pointing at them."""

    def apply(root: object) -> object:
        for parent in list(root.iter()):  # type: ignore[attr-defined]
            for child in list(parent):
                if child.tag == "script":
                    parent.remove(child)
                elif child.get("id", "").startswith("activate-serie"):
                    # Hooks for pygal's script, the same in every chart: several
                    # charts on one page would repeat the ids.
                    del child.attrib["id"]
        for child in list(root):  # type: ignore[call-overload]
            if child.tag == "title":  # pygal's own placeholder title ("Pygal")
                root.remove(child)  # type: ignore[attr-defined]
        base = f"svg-{uuid.uuid4().hex[:12]}"
        root.set("role", "img")  # type: ignore[attr-defined]
        root.set("aria-labelledby", f"{base}-title {base}-desc")  # type: ignore[attr-defined]
        root.set("focusable", "false")  # type: ignore[attr-defined]
        title_node = etree.Element("title", id=f"{base}-title")
        title_node.text = title
        desc_node = etree.Element("desc", id=f"{base}-desc")
        desc_node.text = description
        root.insert(0, desc_node)  # type: ignore[attr-defined]
        root.insert(0, title_node)  # type: ignore[attr-defined]
        return root

    return apply


def indicator_chart_svg(
    *,
    title: str,
    description: str,
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[Number], str]],
    value_formatter: Callable[[float], str] = str,
    no_data_text: str = "",
) -> str:
    """A line chart over ``years``; ``series`` are (label, values, kind) with
    kind "actual", "target" (dashed) or "baseline" (dotted). Missing values
    break the line instead of pretending a zero."""
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
    chart.add_xml_filter(_accessible(title=title, description=description))
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
    chart.add_xml_filter(_accessible(title=title, description=description))
    return chart.render_sparkline(is_unicode=True, width=120, height=28)
