"""Turning a report snapshot into HTML and PDF (the slow, heavy part).

Kept apart from ``services`` so that WeasyPrint and pygal are imported only
where a report is rendered (the worker and the render command).
"""

from __future__ import annotations

import base64
import gc
import logging
import mimetypes
import re
import ssl
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint import images as weasyprint_images
from weasyprint.css.counters import CounterStyle
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.urls import URLFetcher, URLFetcherResponse

from indicators.charts import indicator_chart_svg

if TYPE_CHECKING:
    from weasyprint.document import Document

logger = logging.getLogger(__name__)

# WeasyPrint logs every layout step of every page at INFO: hundreds of lines
# per report in the worker's log that say nothing when all goes well.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Fonts the PDF embeds: Debian's DejaVu, present wherever the worker runs.
FONT_FAMILY = "DejaVu Sans"


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def format_number(value: str | Decimal | None, decimals: int = 0) -> str:
    """A number in the active language's format ("12 345,5" in Finnish)."""
    if value is None or value == "":
        return "\u2013"
    return formats.number_format(
        Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


def format_euros(value: str | None) -> str:
    if value is None:
        return "\u2013"
    return f"{format_number(value, 0)} €"


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_A11Y_ID = re.compile(r"svg-[0-9a-f]{12}")


def indicator_chart(indicator: dict[str, Any], *, chart_id: str) -> str | None:
    """The indicators app's chart of actual values against targets, as SVG.

    pygal and the chart's accessibility filter give every chart random ids;
    they are replaced with ``chart_id`` so that the same snapshot renders to
    the same bytes.
    """
    points = indicator["series"]
    if not any(point["value"] is not None or point["target"] is not None for point in points):
        return None
    name = indicator["name"]
    # A qualitative indicator's axis names the levels of its scale.
    levels = [
        (level["ordinal"], level["label"])
        for level in (indicator.get("qualitative") or {}).get("levels", [])
    ]
    labels = dict(levels)

    def formatted(value: float) -> str:
        number = Decimal(str(value))
        if levels and number == number.to_integral_value() and int(number) in labels:
            return labels[int(number)]
        return format_number(number, indicator["decimals"])

    svg = indicator_chart_svg(
        title=name,
        description=_("Actual values of %(name)s against the targets by year") % {"name": name},
        years=[point["year"] for point in points],
        series=[
            (_("Actual"), [_decimal(point["value"]) for point in points], "actual"),
            (_("Target"), [_decimal(point["target"]) for point in points], "target"),
        ],
        value_formatter=formatted,
        levels=levels,
    )
    svg = _UUID.sub(chart_id, svg)
    return _slim_svg(_A11Y_ID.sub(f"{chart_id}-text", svg))


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TOOLTIP_TEXT = re.compile(r'<desc class="[^"]*">.*?</desc>', re.DOTALL)
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
_RULE = re.compile(r"([^{}]+)(\{[^{}]*\})")
# Rules for pygal's browser interactions (hover, tooltips) and for chart kinds
# not drawn here: they draw nothing on paper but cost WeasyPrint memory for
# every element of every chart.
_INTERACTIVE = (
    "tooltip",
    ":hover",
    ".active",
    "map-element",
    "gauge",
    "bg-lines",
    "no_data",
    ".ci",
    "max-value",
    ".bound",
    "showable",
    "text-overlay",
)


def _slim_svg(svg: str) -> str:
    """Drop what only a browser uses from a pygal chart: comments (pygal's
    carries the date), tooltip texts and interaction styles."""
    svg = _TOOLTIP_TEXT.sub("", _COMMENT.sub("", svg))

    def slim_rules(match: re.Match[str]) -> str:
        kept = [
            selector + body
            for selector, body in _RULE.findall(match.group(2))
            if not any(marker in selector for marker in _INTERACTIVE)
        ]
        return match.group(1) + "".join(kept) + match.group(3)

    return _STYLE.sub(slim_rules, svg)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# Characters written as CSS hex escapes inside a quoted CSS string: the quote
# and backslash (which would end or bend the string) and the HTML specials, so
# that no text can close the report's <style> element ("</style>") or open
# markup in it. Control, format and separator characters are escaped too: a
# newline ends a CSS string, and invisible characters should stay visible in
# the source.
_CSS_SPECIALS = frozenset("\\\"'<>&")


def _css_escape(char: str) -> str:
    if char in _CSS_SPECIALS or (char != " " and unicodedata.category(char)[0] in "CZ"):
        # The space after a hex escape ends it and is not part of the text.
        return f"\\{ord(char):x} "
    return char


def css_string(text: str) -> SafeString:
    """Quote text as a CSS string (for ``content`` and ``font-family``).

    The result contains no ``<``, ``>``, ``&``, quote other than its own
    delimiters, or control character, so it is safe as it stands inside an
    HTML ``<style>`` element: hence marked safe for the template.
    """
    return mark_safe('"' + "".join(_css_escape(char) for char in text) + '"')


def report_title(snapshot: dict[str, Any]) -> str:
    if snapshot["to_year"]:
        kind = _("Council term report %(start)s–%(end)s") % {
            "start": snapshot["year"],
            "end": snapshot["to_year"],
        }
    else:
        kind = _("Annual report %(year)s") % {"year": snapshot["year"]}
    return f"{snapshot['strategy']['title']} \u2013 {kind}"


def _action_group(group: dict[str, Any], *, anchor: str) -> dict[str, Any]:
    """A focus area, a goal or "other actions" with its actions, formatted."""
    actions = []
    for action in group["actions"]:
        items = [
            {
                **item,
                "budget_text": format_euros(item["budget"]),
            }
            for item in action["items"]
        ]
        actions.append(
            {**action, "items": items, "budget_text": format_euros(action["budget_total"])}
        )
    assessments = [
        {
            "action": action["title"],
            "action_lang": action.get("title_lang", ""),
            "number": action["number"],
            "unit": item["unit"],
            "unit_lang": item.get("unit_lang", ""),
            "year": item["year"],
            "text": item["assessment"],
        }
        for action in group["actions"]
        for item in action["items"]
        if item["assessment"]
    ]
    return {
        **group,
        "anchor": anchor,
        "actions": actions,
        "assessments": assessments,
        "budget_text": format_euros(group["budget_total"]),
    }


def _figure_texts(figures: dict[str, Any], decimals: int) -> dict[str, str]:
    """An indicator's (or one unit's) latest value, target and baseline as
    printed: the names of the scale's levels for a qualitative indicator."""
    qualitative = figures.get("qualitative") or {}
    return {
        "actual_text": qualitative.get("actual_label")
        or format_number(figures["latest_value"], decimals),
        "target_text": qualitative.get("target_label")
        or format_number(figures["latest_target"], decimals),
        "baseline_text": qualitative.get("baseline_label")
        or format_number(figures.get("baseline_value"), decimals),
        "state": figures["status"].replace("_", "-"),
    }


def _indicator_context(indicator: dict[str, Any], *, anchor: str) -> dict[str, Any]:
    """An indicator with its chart and figures formatted, and its units' figures."""
    svg = indicator_chart(indicator, chart_id=anchor)
    decimals = indicator["decimals"]
    return {
        **indicator,
        "anchor": anchor,
        "chart": _data_uri(svg) if svg else None,
        **_figure_texts(indicator, decimals),
        "units": [{**unit, **_figure_texts(unit, decimals)} for unit in indicator.get("units", [])],
    }


def _upgrade(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot frozen with an older schema, in the shape the template reads.

    Schema 1 had one vision text on the strategy and none of the parts added
    since; it kept actions without a focus area as a last focus area without
    a number. Before schema 4 the table of units was worked out while
    rendering; such a report keeps the figures it was printed with.
    """
    schema = snapshot.get("schema", 1)
    if schema < 2:
        vision = snapshot["strategy"].get("vision")
        snapshot = {
            **snapshot,
            "visions": [{"label": "", "text": vision}] if vision else [],
            "values": [],
            "perspectives": [],
            "other_goals": [],
            "spearheads": [],
            "sections": [],
            "stakeholders": [],
            "goal_actions": [],
            "other_actions": None,
        }
    if schema < 4:
        snapshot = {**snapshot, "unit_summary": _legacy_unit_summary(snapshot)}
    return snapshot


def _legacy_unit_summary(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The table of units as reports before schema 4 printed it: a plain
    average of the items' progress, cancelled items included."""
    groups = [*snapshot["focus_areas"], *snapshot["goal_actions"]]
    if snapshot["other_actions"]:
        groups.append(snapshot["other_actions"])
    units: dict[str, dict[str, Any]] = {}
    for item in (item for group in groups for a in group["actions"] for item in a["items"]):
        entry = units.setdefault(
            item["unit"],
            {
                "unit": item["unit"],
                "unit_lang": item.get("unit_lang", ""),
                "count": 0,
                "done": 0,
                "progress_sum": 0,
                "budget_sum": Decimal(0),
            },
        )
        entry["count"] += 1
        entry["done"] += item["status"] == "done"
        entry["progress_sum"] += item["progress"]
        if item["budget"] is not None:
            entry["budget_sum"] += Decimal(item["budget"])
    return [
        {
            "unit": entry["unit"],
            "unit_lang": entry["unit_lang"],
            "count": entry["count"],
            "done": entry["done"],
            "average_progress": round(entry["progress_sum"] / entry["count"]),
            "budget": str(entry["budget_sum"]),
        }
        for entry in sorted(units.values(), key=lambda e: e["unit"])
    ]


def _groups_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Focus areas, goals and other actions, formatted for the template."""
    return {
        "focus_areas": [
            _action_group(area, anchor=f"focus-area-{index}")
            for index, area in enumerate(snapshot["focus_areas"], start=1)
        ],
        "goal_actions": [
            _action_group(group, anchor=f"goal-actions-{index}")
            for index, group in enumerate(snapshot["goal_actions"], start=1)
        ],
        "other_actions": _action_group(snapshot["other_actions"], anchor="other-actions")
        if snapshot["other_actions"]
        else None,
    }


def _sections_context(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The strategy document's sections with their heading levels: "1" is a
    heading under the chapter, "1.1" one under it; never a level skipped
    (PDF/UA), however the numbers run."""
    leveled = []
    level = 1
    for section in sections:
        depth = section["number"].strip(".").count(".")
        level = min(depth + 2, level + 1, 4)
        leveled.append({**section, "level": level})
    return leveled


def _dates_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The day the data was frozen and the day the strategy was approved, formatted."""
    as_of = date.fromisoformat(snapshot["as_of"])
    approved_on = snapshot["strategy"].get("approved_on")
    return {
        "as_of": as_of,
        "as_of_text": formats.date_format(as_of, "DATE_FORMAT", use_l10n=True),
        "created": f"{snapshot['as_of']}T00:00:00Z",
        "approved_on_text": formats.date_format(
            date.fromisoformat(approved_on), "DATE_FORMAT", use_l10n=True
        )
        if approved_on
        else "",
    }


def _context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the template needs beyond the snapshot: formatted numbers, dates
    and charts. Every figure comes from the snapshot as it is."""
    snapshot = _upgrade(snapshot)
    language = snapshot["language"]
    title = report_title(snapshot)
    strategy = snapshot["strategy"]
    goal_count = sum(len(p["goals"]) for p in snapshot["perspectives"]) + len(
        snapshot["other_goals"]
    )
    return {
        "s": snapshot,
        "language": language,
        "title": title,
        "years_text": f"{snapshot['year']}\u2013{snapshot['to_year']}"
        if snapshot["to_year"]
        else str(snapshot["year"]),
        "language_name": translation.get_language_info(language)["name_local"],
        **_dates_context(snapshot),
        "decision_text": " ".join(
            part
            for part in (strategy.get("decision_body", ""), strategy.get("decision_reference", ""))
            if part
        ),
        "has_goals": bool(goal_count or snapshot["perspectives"]),
        **_groups_context(snapshot),
        "sections": _sections_context(snapshot["sections"]),
        "indicators": [
            _indicator_context(indicator, anchor=f"indicator-{index}")
            for index, indicator in enumerate(snapshot["indicators"], start=1)
        ],
        "maturity": snapshot["maturity"],
        "unit_summary": [
            {**entry, "budget_text": format_euros(entry["budget"])}
            for entry in snapshot["unit_summary"]
        ],
        "budget_text": format_euros(snapshot["budget_total"]),
        "css_title": css_string(title),
        "css_page": css_string(_("Page")),
        "css_font_family": css_string(FONT_FAMILY),
        "progress_steps": PROGRESS_STEPS,
        "author": snapshot["organisation"]["name"],
    }


# The filled part of a 14 mm progress bar at each whole percentage.
PROGRESS_STEPS = [{"percent": percent, "width": f"{percent * 0.14:.2f}"} for percent in range(101)]


def build_html(snapshot: dict[str, Any]) -> str:
    """The report as one self-contained HTML document, in the snapshot's language."""
    with translation.override(snapshot["language"]):
        return render_to_string("reports/report.html", _context(snapshot))


# No certificate authority: any TLS connection made with it fails verification.
_TRUSTS_NOBODY = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ReportURLFetcher(URLFetcher):
    """WeasyPrint's fetcher for reports: ``data:`` URIs and the project's own
    static files, nothing else.

    Report texts are written by users; should markup ever slip into the HTML,
    a fetcher that follows any URL would put server files (``file:``) or
    internal services (``http:``) into a PDF that every reader downloads.
    Everything else is refused with a warning, and WeasyPrint renders the
    report without it.
    """

    def __init__(self) -> None:
        # Redirects are never needed for data: or local files; data: is the
        # only scheme the parent class may open itself. Its HTTPS handler gets
        # a context that trusts no certificate authority: nothing is fetched
        # over the network, and loading the system's authorities cost 30 ms
        # each time a fetcher was made.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, ssl_context=_TRUSTS_NOBODY)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].strip().lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = static_file_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.open("rb"), {"Content-Type": content_type}
                )
        # data: URIs are long and any URL may carry user text: log a bounded, repr'd excerpt.
        logger.warning("Report rendering refused to fetch %r", url[:200])
        raise ValueError(f"The report may not load {url[:200]!r}.")


def _static_roots() -> list[Path]:
    """The folders of the project's bundled static files (sources and collected)."""
    folders = [
        entry[1] if isinstance(entry, (tuple, list)) else entry
        for entry in settings.STATICFILES_DIRS
    ]
    if settings.STATIC_ROOT:
        folders.append(settings.STATIC_ROOT)
    return [Path(folder).resolve() for folder in folders]


def static_file_path(url: str) -> Path | None:
    """The local file a ``file:`` URL names if it is one of the bundled static
    files, else None. Links are resolved first, so that neither ``..`` nor a
    symbolic link leads out of the static folders."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_file():
        return None
    if any(path.is_relative_to(root) for root in _static_roots()):
        return path
    return None


def report_url_fetcher() -> ReportURLFetcher:
    """The one fetcher every report rendering uses (worker and command alike)."""
    return ReportURLFetcher()


# The archival format: PDF/A-3a is PDF/A-3 (self-contained, fonts embedded,
# an sRGB output intent) at its accessible level "a" (tagged, Unicode text),
# and the document also declares PDF/UA-1, whose structure rules the report
# template follows (headings in order, table headers, alternative texts, the
# language). WeasyPrint renders one variant at a time: PDF/A-3a is the one
# that carries both the tags and the output intent; the PDF/UA identification
# is added to its XMP metadata by ``_declare_pdf_ua``. PDF/A-3 rather than -2
# or -4: -3 allows attachments, should a report ever carry its data, and -4
# needs PDF 2.0, which is less widely read.
PDF_VARIANT = "pdf/a-3a"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
_RDF_START, _RDF_END = b"<rdf:RDF", b"</rdf:RDF>"


def _object(pdf: pydyf.PDF, reference: bytes | str) -> Any:
    """The object a PDF reference (``b"12 0 R"``) points to."""
    number = reference.split()[0]
    return pdf.objects[int(number)]


def _declare_pdf_ua(pdf: pydyf.PDF) -> None:
    """Add ``pdfuaid:part="1"`` to the description that identifies PDF/A-3a
    in the XMP metadata, so the document claims both standards."""
    stream = _object(pdf, pdf.catalog["Metadata"])
    content = b"".join(
        part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
    )
    start, end = content.index(_RDF_START), content.index(_RDF_END) + len(_RDF_END)
    rdf = ElementTree.fromstring(content[start:end])
    identification = rdf.find(f"{{{_RDF}}}Description")
    if identification is None:
        return
    identification.set(f"{{{_PDFUAID}}}part", "1")
    stream.stream = [
        content[:start]
        + ElementTree.tostring(rdf, encoding="utf-8", xml_declaration=False)
        + content[end:]
    ]


def _scope_table_headers(pdf: pydyf.PDF) -> None:
    """Give every table header cell a ``/Scope`` (PDF/UA, Matterhorn 15-003).

    WeasyPrint links data cells to their headers (``/ID`` and ``/Headers``)
    but writes no scope. In the report, header cells of a table head are
    column headers and those of its body and foot are row headers, as their
    ``scope`` attributes in the HTML say.
    """
    for candidate in pdf.objects:
        if not isinstance(candidate, dict) or candidate.get("S") != "/TH":
            continue
        row = _object(pdf, candidate["P"])
        group = _object(pdf, row["P"]) if row.get("S") == "/TR" else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        candidate["A"]["Scope"] = scope


def _finish(document: Document, pdf: pydyf.PDF) -> None:
    """What WeasyPrint's tagging leaves out: the PDF/UA identification and
    the scope of table headers. Deterministic, as the rest of the PDF.

    Then the laid-out pages go: by now they are drawn and tagged, and all
    that is left is writing the PDF objects out, which needs none of them, so
    the bytes are written in the memory the pages held.
    """
    _declare_pdf_ua(pdf)
    _scope_table_headers(pdf)
    document.pages.clear()
    gc.collect()


@contextmanager
def _languages_tagged() -> Iterator[None]:
    """While a report is rendered, give the structure element of every HTML
    element with a ``lang`` of its own (a text not in the report's language)
    that language as ``/Lang``, as PDF/UA asks for a change of language.

    WeasyPrint's tagging writes the document's language only. Its structure
    tree is built by one recursive function, ``_build_box_tree``, which yields
    the elements made for a box; it is wrapped for the rendering and restored
    after. Should a later WeasyPrint rename it, the report still renders (just
    without the marks) and ``tests/reports/test_pdf_structure.py`` says so.
    """
    build = getattr(weasyprint_tags, "_build_box_tree", None)
    if build is None:
        yield
        return

    def build_with_languages(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = (
            element.get("lang")
            if element is not None and getattr(box, "element_tag", "") != "html"
            else None
        )
        for structure_element in build(box, *args):
            if lang and "Lang" not in structure_element:
                structure_element["Lang"] = pydyf.String(lang)
            yield structure_element

    weasyprint_tags._build_box_tree = build_with_languages
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = build


# --- memory: what a report at city scale holds while it is laid out -------------
#
# A council-term report of a city has thousands of table rows and hundreds of
# charts. Four things made its rendering hold far more than its boxes need:
# every element's styles for six pseudo-elements it never has, the parsed
# tree of every chart kept after it was drawn, a style of its own for each
# row's progress bar (the template gives the bars shared classes instead),
# and the laid-out pages kept while the PDF's bytes are written (``_finish``).

# The user-agent rules WeasyPrint applies to every element of a document for
# pseudo-elements: a marker (drawn for list items only) and footnote and note
# calls and markers (the report has neither). Each of them gives every element
# one more computed style, six times the styles the document needs.
_UA_MARKER = "::marker {"
_UA_LIST_ITEM_MARKER = ":where(li)::marker {"
_UA_NOTES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.MULTILINE)


@cache
def report_ua_stylesheet() -> CSS | None:
    """WeasyPrint's user-agent stylesheet without its universal pseudo-element
    rules: markers for list items only (``:where`` keeps the rule's
    specificity), no footnote or note rules. None (WeasyPrint's own sheet is
    used) if a later WeasyPrint words these rules otherwise;
    ``tests/reports/test_memory.py`` says so."""
    source = getattr(weasyprint_html, "UA", None)
    if not isinstance(source, str) or source.count(_UA_MARKER) != 1:
        return None
    trimmed, notes = _UA_NOTES.subn("", source.replace(_UA_MARKER, _UA_LIST_ITEM_MARKER))
    if notes != 5:
        return None
    # A counter-style registry of its own: the sheet's @counter-style rules
    # are read again, and WeasyPrint's registry already has them.
    return CSS(string=trimmed, counter_style=CounterStyle(), url_fetcher=report_url_fetcher())


class ReportHTML(HTML):
    """A report's HTML, styled with ``report_ua_stylesheet``."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        sheet = report_ua_stylesheet()
        if sheet is None or forms:
            return super()._ua_stylesheets(forms)
        return [sheet]


@contextmanager
def _charts_released() -> Iterator[None]:
    """While a report is rendered, let each chart drop its parsed SVG once it
    is drawn.

    WeasyPrint parses an SVG image into a tree of nodes as it draws it and
    keeps the tree as long as the document: hundreds of charts' trees, held
    while the rest of the PDF is written. A chart drawn again parses its tree
    again. Should a later WeasyPrint change its ``SVGImage``, the report
    still renders (just holding the trees).
    """
    image_class = getattr(weasyprint_images, "SVGImage", None)
    draw = getattr(image_class, "draw", None)
    if image_class is None or draw is None:
        yield
        return

    def draw_and_release(image: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return draw(image, *args, **kwargs)
        finally:
            tree = getattr(getattr(image, "_svg", None), "tree", None)
            if tree is not None and hasattr(tree, "_children"):
                tree._children = None

    image_class.draw = draw_and_release
    try:
        yield
    finally:
        image_class.draw = draw


def html_to_pdf(html: str, *, identifier: str) -> bytes:
    """HTML → tagged PDF/A-3a bytes that also declare PDF/UA-1; fonts are
    embedded as subsets."""
    with ExitStack() as stack:
        stack.enter_context(_languages_tagged())
        stack.enter_context(_charts_released())
        document = ReportHTML(string=html, base_url=None, url_fetcher=report_url_fetcher()).render(
            pdf_variant=PDF_VARIANT, pdf_tags=True
        )
        # The layout leaves cycles behind (boxes, styles, the layout
        # context): free them before the PDF is written on top.
        gc.collect()
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            pdf_identifier=identifier[:32].encode(),
            custom_metadata=False,
            finisher=_finish,
        )
