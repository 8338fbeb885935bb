"""Chart plumbing shared by every app: pygal's style in Suunta's colours
(``strategy.chartstyle`` holds them), and a filter that makes a pygal SVG
safe and accessible to inline in a page or a PDF (no script, no inline CSS,
a ``<title>`` and ``<desc>``, one image for assistive technology)."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import cssselect2
import tinycss2
from pygal.etree import etree
from pygal.style import Style

from .chartstyle import PALETTE, STYLE_OPTIONS

__all__ = ["PALETTE", "STYLE", "STYLE_OPTIONS", "accessible_svg", "chart_style"]

STYLE = Style(**STYLE_OPTIONS)


def chart_style(**overrides: object) -> Style:
    """Suunta's chart style with some options changed (e.g. more colours)."""
    return Style(**{**STYLE_OPTIONS, **overrides})


# SVG properties that can also be written as attributes. The Content Security
# Policy governs ``<style>`` elements and ``style="…"`` attributes, but not
# these, so a chart styled by them needs no 'unsafe-inline'. (``transform`` is
# left out: its attribute and CSS syntaxes differ, and pygal's CSS never sets it.)
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color",
        "color-interpolation", "cursor", "direction", "display", "dominant-baseline",
        "fill", "fill-opacity", "fill-rule", "filter", "font-family", "font-size",
        "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
        "letter-spacing", "marker-end", "marker-mid", "marker-start", "mask", "opacity",
        "overflow", "paint-order", "pointer-events", "shape-rendering", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
        "text-decoration", "text-rendering", "vector-effect", "visibility", "word-spacing",
        "writing-mode",
    }
)  # fmt: skip
# The chart's own id in pygal's selectors, replaced by a fixed one so that
# every chart with the same style shares one compiled stylesheet.
_ROOT_ID = "suunta-chart"

Declaration = tuple[str, str, bool]


def _declarations(tokens: list[object]) -> list[Declaration]:
    """(property, value, important) of the presentation properties in a block."""
    return [
        (node.lower_name, tinycss2.serialize(node.value).strip(), node.important)
        for node in tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True)
        if node.type == "declaration" and node.lower_name in PRESENTATION_ATTRIBUTES
    ]


# What an element's matches depend on when the stylesheet has no sibling
# combinator, no attribute value and no structural pseudo-class (pygal's
# has none): its tag, id, classes and attribute names, and its ancestors'.
_PATH_UNSAFE = re.compile(r"[+~]|\[[^\]]*=|:(?!hover\b|not\(|visited\b|active\b|focus\b)")

_PATHS_KEPT = 10_000
ElementKey = tuple[tuple[str, str | None, str | None, tuple[str, ...]], ...]


@dataclass
class _Stylesheet:
    matcher: cssselect2.Matcher
    # The matched declarations by the element's path (``ElementKey``), when
    # that decides them: a chart's dots, guides and labels are matched once.
    by_path: dict[ElementKey, list[Declaration]] | None

    def declarations(self, wrapper: cssselect2.ElementWrapper, path: ElementKey | None) -> list[Declaration]:
        if path is not None and self.by_path is not None and path in self.by_path:
            return self.by_path[path]
        matches = sorted(self.matcher.match(wrapper), key=lambda match: (match[0], match[1]))
        found = [item for *_, payload in matches for item in payload]
        if path is not None and self.by_path is not None and len(self.by_path) < _PATHS_KEPT:
            self.by_path[path] = found
        return found


@functools.lru_cache(maxsize=64)
def _stylesheet(css: str) -> _Stylesheet:
    """pygal's CSS compiled for matching; rules for hover and other states
    never match (a chart on a page is a still picture)."""
    matcher = cssselect2.Matcher()
    path_safe = True
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = _declarations(rule.content)
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        path_safe = path_safe and not _PATH_UNSAFE.search(tinycss2.serialize(rule.prelude))
        for selector in selectors:
            if selector.pseudo_element is None:
                matcher.add_selector(selector, declarations)
    return _Stylesheet(matcher, {} if path_safe else None)


def _styles_to_attributes(root: object) -> None:
    """Replace pygal's ``<style>`` elements and ``style`` attributes by the
    presentation attributes they amount to, following the cascade (specificity,
    order, ``!important``, the ``style`` attribute), so that the chart looks
    the same under a policy that allows no inline CSS."""
    css_parts = []
    for parent in list(root.iter()):  # type: ignore[attr-defined]
        for child in list(parent):
            if child.tag == "style":
                css_parts.append(child.text or "")
                parent.remove(child)
    chart_id = root.get("id", "")  # type: ignore[attr-defined]
    css = "".join(css_parts)
    if chart_id:
        css = css.replace(f"#{chart_id}", f"#{_ROOT_ID}")
        root.set("id", _ROOT_ID)  # type: ignore[attr-defined]
    stylesheet = _stylesheet(css)
    resolved: list[tuple[object, dict[str, str]]] = []
    paths: dict[int, ElementKey] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        element = wrapper.etree_element
        path = None
        if stylesheet.by_path is not None:
            parent = wrapper.parent
            own = (element.tag, element.get("id"), element.get("class"), tuple(sorted(element.keys())))
            path = (paths[id(parent.etree_element)] if parent is not None else ()) + (own,)
            paths[id(element)] = path
        declarations = stylesheet.declarations(wrapper, path)
        inline = element.get("style")
        if inline is not None:
            inline_declarations = _declarations(tinycss2.parse_component_value_list(inline))
        else:
            inline_declarations = []
        values: dict[str, str] = {}
        for name, value, important in declarations:
            if not important:
                values[name] = value
        for name, value, _important in inline_declarations:
            values[name] = value
        for name, value, important in declarations:
            if important:
                values[name] = value
        resolved.append((element, values))
    # Written after matching, so that no attribute changes what a selector matches.
    for element, values in resolved:
        element.attrib.pop("style", None)  # type: ignore[attr-defined]
        for name, value in values.items():
            element.set(name, value)  # type: ignore[attr-defined]
    if chart_id:
        root.set("id", chart_id)  # type: ignore[attr-defined]


def accessible_svg(*, title: str, description: str) -> Callable[[object], object]:
    """A pygal XML filter: drop the configuration script pygal writes even
    with ``js=[]`` (no JavaScript may run from a chart, and CSP would block it),
    turn pygal's inline CSS into presentation attributes (CSP allows no inline
    styles either), and add a ``<title>``/``<desc>`` pair with an image role
    pointing at them."""

    def apply(root: object) -> object:
        _styles_to_attributes(root)
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
