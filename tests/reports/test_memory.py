"""What a report holds while it is rendered: a council-term report of a city
(thousands of plan-item rows, hundreds of charts) must stay within the
worker's memory bound, so every row and every element costs as little as
the document needs (``bench/report.py`` measures the city itself)."""

from __future__ import annotations

import re
from base64 import b64encode
from collections import Counter
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint.css import get_all_computed_styles

from reports.pdf import ReportHTML, html_to_pdf, indicator_chart, report_ua_stylesheet
from reports.services import report_html_build, report_snapshot_build

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
TAG = re.compile(r"<([a-z]+)[\s>]")


@pytest.fixture
def report_html(report_world) -> str:
    snapshot = report_snapshot_build(
        strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi"
    )
    return report_html_build(snapshot=snapshot)


def _item_rows(html: str) -> list[str]:
    """The plan-item rows of the action tables (those with a progress figure)."""
    return [row for row in ROW.findall(html) if "progress-bar" in row]


def test_plan_item_rows_have_few_elements_and_no_style_of_their_own(report_html: str) -> None:
    rows = _item_rows(report_html)
    assert len(rows) == 2
    for row in rows:
        # An inline style gives an element a computed style of its own: with
        # thousands of rows, thousands of styles.
        assert "style=" not in row
        # The row header, five cells and the progress bar: one element for it.
        assert len(TAG.findall(row)) <= 7, row
    assert 'class="progress-bar progress-40"' in report_html
    assert ".progress-40 { border-left-width: 5.60mm; }" in report_html
    assert ".progress-100 { border-left-width: 14.00mm; }" in report_html


def test_only_list_items_get_a_pseudo_element_style(report_html: str) -> None:
    """WeasyPrint's own user-agent sheet gives every element styles for six
    pseudo-elements (a marker, footnote and note calls and markers); the
    report's gives markers to list items only. Fails if a later WeasyPrint
    words those rules otherwise (``reports.pdf.report_ua_stylesheet``)."""
    assert report_ua_stylesheet() is not None
    styles = get_all_computed_styles(ReportHTML(string=report_html))._computed_styles
    pseudo = Counter(
        (element.tag, pseudo_type)
        for element, pseudo_type in styles
        if pseudo_type and not isinstance(element, str)
    )
    assert pseudo, "no pseudo-element styles at all: the test reads nothing"
    assert {tag for tag, _type in pseudo} <= {"li", "a"}, pseudo
    assert {pseudo_type for _tag, pseudo_type in pseudo} <= {"marker", "after"}, pseudo
    elements = sum(1 for element, pseudo_type in styles if pseudo_type is None)
    assert sum(pseudo.values()) < elements / 2


def _chart(name: str) -> str:
    indicator: dict[str, Any] = {
        "name": name,
        "decimals": 0,
        "series": [
            {"year": 2022, "value": "950", "target": "1000"},
            {"year": 2023, "value": "1150", "target": "1100"},
        ],
    }
    svg = indicator_chart(indicator, chart_id="indicator-1")
    assert svg is not None
    return svg


def test_a_chart_drawn_twice_is_drawn_whole_both_times() -> None:
    """A chart lets its parsed SVG go once drawn; drawn again (the same image
    twice on a page), it is parsed again and drawn the same."""
    source = "data:image/svg+xml;base64," + b64encode(_chart("Kävijämäärä").encode()).decode()
    image = f'<img src="{source}" alt="Kaavio" style="width: 80mm">'

    def page_text(images: int) -> str:
        html = f'<html lang="fi"><head><title>T</title></head><body>{image * images}</body></html>'
        content = html_to_pdf(html, identifier="0" * 32)
        return PdfReader(BytesIO(content)).pages[0].extract_text()

    once, twice = page_text(1), page_text(2)
    assert "2023" in once
    assert twice.count("2023") == 2 * once.count("2023")
