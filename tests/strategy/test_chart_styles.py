"""``strategy.charts`` turns a chart's CSS into presentation attributes by
the cascade; an element's declarations are matched once per path of tags,
ids, classes and attribute names when the stylesheet allows it (pygal's
does), and element by element when it does not."""

from __future__ import annotations

from typing import Any

import cssselect2
import pytest
from pygal.etree import etree

from indicators.charts import indicator_chart_svg
from strategy import charts


def _svg(css: str, body: str) -> Any:
    root = etree.fromstring(f'<svg id="c1"><style>{css}</style>{body}</svg>')
    charts._styles_to_attributes(root)
    return root


def _fills(root: Any) -> list[str | None]:
    return [element.get("fill") for element in root.iter() if element.tag == "rect"]


def test_the_cascade_orders_specificity_inline_style_and_important() -> None:
    root = _svg(
        "#c1 rect { fill: red } #c1 .a { fill: blue } rect.b { fill: green !important }",
        '<rect class="a"/><rect class="a" style="fill: yellow"/><rect class="b" style="fill: yellow"/><rect/>',
    )
    assert _fills(root) == ["blue", "yellow", "green", "red"]
    assert all(element.get("style") is None for element in root.iter())
    assert not [element for element in root.iter() if element.tag == "style"]


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("g + g rect { fill: red }", [None, "red"]),  # a sibling combinator
        ("g:first-child rect { fill: red }", ["red", None]),  # a structural pseudo-class
        ('rect[x="1"] { fill: red }', ["red", None]),  # an attribute value
    ],
)
def test_a_stylesheet_that_looks_beyond_the_path_is_matched_element_by_element(
    css: str, expected: list[str | None]
) -> None:
    root = _svg(css, '<g><rect x="1"/></g><g><rect x="2"/></g>')
    assert _fills(root) == expected


def test_pygals_stylesheet_is_matched_once_per_path(monkeypatch: pytest.MonkeyPatch) -> None:
    charts._stylesheet.cache_clear()
    calls: list[object] = []
    original = cssselect2.Matcher.match

    def counting(self: cssselect2.Matcher, element: object) -> Any:
        calls.append(element)
        return original(self, element)

    monkeypatch.setattr(cssselect2.Matcher, "match", counting)
    years = list(range(2016, 2026))
    svgs = [
        indicator_chart_svg(
            title=f"Lainat {n}", description="", years=years,
            series=[("Toteuma", [n + i for i in range(10)], "actual"), ("Tavoite", [20] * 10, "target")],
        )
        for n in range(3)
    ]  # fmt: skip
    elements = sum(svg.count("<") - svg.count("</") - svg.count("<!--") for svg in svgs)
    assert len(calls) < elements / 4
    assert svgs[0].count('stroke-dasharray="8,5"') == svgs[2].count('stroke-dasharray="8,5"') > 0
