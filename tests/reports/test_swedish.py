"""The Swedish report: Swedish headings and the Swedish content where it exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from reports.services import report_render, report_snapshot_build

from .conftest import LEVELS, VISION_FI, VISION_SV, pdf_facts, pdf_text

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Contents",
    "Vision and target state",
    "Focus areas and actions",
    "Indicators",
    "Maturity",
    "Appendices",
    "Year-end assessments",
]


@pytest.fixture
def swedish_catalogue() -> dict[str, str]:
    """The report's headings as the committed Swedish catalogue gives them."""
    with translation.override("sv"):
        swedish = {msgid: translation.gettext(msgid) for msgid in HEADINGS}
    untranslated = [msgid for msgid, msgstr in swedish.items() if msgstr == msgid]
    assert not untranslated, f"not translated into Swedish: {untranslated}"
    return swedish


def test_swedish_report_has_swedish_headings_and_content(report_world, swedish_catalogue, tmp_path: Path) -> None:
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="sv")
    content = report_render(snapshot=snapshot)
    text = pdf_text(content, tmp_path)
    for msgid in HEADINGS:
        assert swedish_catalogue[msgid] in text, msgid
    assert "Årsrapport 2024" in text
    assert "Innehåll" in pdf_facts(content)["bookmarks"]
    assert "Sida 2 / " in text
    # Swedish content where it exists, Finnish where it does not.
    assert VISION_SV in text and VISION_FI not in text
    assert "3.1 Delaktighet och gemenskap" in text
    assert "3.2 Hyvinvointi ja terveys" in text
    assert "Besökarantal" in text
    for _fi, sv in LEVELS:
        assert sv in text
    facts = pdf_facts(content)
    assert facts["lang"] == "sv"
    assert facts["title"] == "Kulttuuristrategia \u2013 Årsrapport 2024"


def test_finnish_report_keeps_finnish_content(report_world, tmp_path: Path) -> None:
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi")
    text = pdf_text(report_render(snapshot=snapshot), tmp_path)
    assert VISION_FI in text and VISION_SV not in text
    assert "Delaktighet och gemenskap" not in text
