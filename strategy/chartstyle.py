"""Suunta's chart style in one place: colours and fonts that every chart
uses, whether drawn by pygal (``strategy.charts``) or built as plain SVG
(the indicator list's sparklines). No charting library is imported here.

The colours have at least 4.5:1 contrast on white (the palette of
``suunta.css``).
"""

from __future__ import annotations

# Actual values, target path, baseline, then further units.
PALETTE = ("#00497a", "#1d6b34", "#4a5360", "#a4161a", "#8a5300", "#6a1b9a", "#1f4e8c")
ACTUAL, TARGET, BASELINE = PALETTE[0], PALETTE[1], PALETTE[2]
BACKGROUND = "#ffffff"
FOREGROUND = "#1b1f24"
FOREGROUND_SUBTLE = "#4a5360"
FONT_FAMILY = "'DejaVu Sans', 'Segoe UI', system-ui, sans-serif"

# pygal's ``Style`` options (plain values, so that this module needs no pygal).
STYLE_OPTIONS: dict[str, object] = dict(
    background=BACKGROUND,
    plot_background=BACKGROUND,
    foreground=FOREGROUND,
    foreground_strong=FOREGROUND,
    foreground_subtle=FOREGROUND_SUBTLE,
    opacity=".9",
    opacity_hover="1",
    colors=PALETTE,
    font_family=FONT_FAMILY,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=12,
)

# The sparkline of a list row: its size in CSS pixels and its line.
SPARKLINE_WIDTH = 120
SPARKLINE_HEIGHT = 28
SPARKLINE_STROKE_WIDTH = 2
SPARKLINE_DOT_RADIUS = 2.5
