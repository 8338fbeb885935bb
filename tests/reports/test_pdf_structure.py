"""The council PDF as an archive and a screen reader read it: PDF/A-3a that
also declares PDF/UA-1, checked with pypdf (no external validator here)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from itertools import pairwise
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from reports.services import report_html_build, report_render, report_snapshot_build
from tests.conftest import world_build
from tests.demo_fixtures import kept_until_the_end

from .conftest import pdf_facts
from .conftest import report_world as report_world_fixture

report_world_build = report_world_fixture.__wrapped__

pytestmark = pytest.mark.django_db


def structure(root: DictionaryObject) -> list[DictionaryObject]:
    """The structure elements of a tagged PDF in document (depth-first) order."""
    found: list[DictionaryObject] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(root["/StructTreeRoot"])
    return found


def _swedish_report() -> dict[str, Any]:
    strategy = report_world_build(world_build()).strategy
    snapshot = report_snapshot_build(strategy=strategy, year=2024, to_year=None, unit=None, language="sv")
    content = report_render(snapshot=snapshot)
    reader = PdfReader(BytesIO(content))
    root = reader.trailer["/Root"]
    return {
        "strategy": strategy,
        "snapshot": snapshot,
        "content": content,
        "html": report_html_build(snapshot=snapshot),
        "reader": reader,
        "root": root,
        "elements": structure(root),
        "xmp": root["/Metadata"].get_object().get_data().decode(),
    }


@pytest.fixture(scope="module")
def swedish_report(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The Swedish report of ``report_world``, rendered once for the module's
    tests, which only read it."""
    with kept_until_the_end(django_db_blocker, _swedish_report) as report:
        yield report


def test_pdf_is_tagged_in_the_report_language_with_its_title_shown(swedish_report) -> None:
    root, reader = swedish_report["root"], swedish_report["reader"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv"
    assert '<html lang="sv">' in swedish_report["html"]
    title = "Kulttuuristrategia \u2013 Årsrapport 2024"
    assert reader.metadata.title == title
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in swedish_report["xmp"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_pdf_declares_pdf_a_3a_and_pdf_ua_1_with_an_output_intent(swedish_report) -> None:
    xmp = swedish_report["xmp"]
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert swedish_report["reader"].pdf_header == "%PDF-1.7"
    intents = swedish_report["root"]["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent
    assert pdf_facts(swedish_report["content"])["fonts_embedded"] is True


def test_charts_have_alternative_text(swedish_report) -> None:
    figures = [element for element in swedish_report["elements"] if element["/S"] == "/Figure"]
    assert figures
    for figure in figures:
        assert str(figure.get("/Alt", "")).startswith("Diagram: ")


def test_table_headers_have_a_scope(swedish_report) -> None:
    elements = swedish_report["elements"]
    headers = [element for element in elements if element["/S"] == "/TH"]
    assert headers
    assert all(header["/A"].get("/Scope") in ("/Column", "/Row") for header in headers)
    scopes = {header["/A"]["/Scope"] for header in headers}
    assert scopes == {"/Column", "/Row"}
    # The head of a table holds its column headers.
    for header in headers:
        group = header["/P"].get_object()["/P"].get_object()
        assert (header["/A"]["/Scope"] == "/Column") == (group["/S"] == "/THead")
    # Data cells name their headers.
    cells = [element for element in elements if element["/S"] == "/TD"]
    assert cells and all(cell["/A"].get("/Headers") for cell in cells)


def test_headings_are_read_in_the_order_of_the_document(swedish_report) -> None:
    headings = [
        str(element["/S"])[1:]
        for element in swedish_report["elements"]
        if re.fullmatch(r"/H[1-6]", element["/S"])
    ]
    in_html = [f"H{level}" for level in re.findall(r"<h([1-6])[\s>]", swedish_report["html"])]
    assert headings == in_html
    # No level is skipped on the way down (PDF/UA).
    levels = [int(heading[1]) for heading in headings]
    assert all(after <= before + 1 for before, after in pairwise(levels))


def test_same_snapshot_renders_to_the_same_bytes(swedish_report) -> None:
    assert report_render(snapshot=swedish_report["snapshot"]) == swedish_report["content"]


def test_finnish_text_in_the_swedish_report_is_tagged_as_finnish(swedish_report) -> None:
    marked = [element for element in swedish_report["elements"] if "/Lang" in element]
    assert marked, "no structure element carries a language of its own"
    # Finnish fallbacks; the test world's organisations are named in English only.
    assert {str(element["/Lang"]) for element in marked} == {"fi", "en"}
    assert {"/Span", "/TH"} <= {str(element["/S"]) for element in marked}
    finnish = report_snapshot_build(
        strategy=swedish_report["strategy"], year=2024, to_year=None, unit=None, language="fi"
    )
    root = PdfReader(BytesIO(report_render(snapshot=finnish))).trailer["/Root"]
    assert {str(element["/Lang"]) for element in structure(root) if "/Lang" in element} == {"en"}
