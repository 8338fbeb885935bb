"""Chart plumbing shared by every app: pygal's style in Suunta's colours, and
a filter that makes a pygal SVG safe and accessible to inline in a page or a
PDF (no script, a ``<title>`` and ``<desc>``, one image for assistive
technology)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from pygal.etree import etree
from pygal.style import Style

# Colours with at least 4.5:1 contrast on white (the palette of suunta.css):
# actual values, target path, baseline, then further units.
PALETTE = ("#00497a", "#1d6b34", "#4a5360", "#a4161a", "#8a5300", "#6a1b9a", "#1f4e8c")
STYLE_OPTIONS: dict[str, object] = dict(
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
STYLE = Style(**STYLE_OPTIONS)


def chart_style(**overrides: object) -> Style:
    """Suunta's chart style with some options changed (e.g. more colours)."""
    return Style(**{**STYLE_OPTIONS, **overrides})


def accessible_svg(*, title: str, description: str) -> Callable[[object], object]:
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
