"""The Swedish report: Swedish headings and the Swedish content where it exists.

The report's Swedish headings are listed in reports/report_headings_sv.txt
(msgid, tab, msgstr) for the project's Swedish catalogue. Until they are
merged there, the fixture below adds the missing ones to the catalogue for
the duration of the test, so the test checks the report against the same
Swedish it will have in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from reports.services import report_render, report_snapshot_build

from .conftest import LEVELS, VISION_FI, VISION_SV, pdf_facts, pdf_text

pytestmark = pytest.mark.django_db

HEADINGS_FILE = Path(settings.BASE_DIR) / "reports" / "report_headings_sv.txt"


def headings() -> dict[str, str]:
    pairs = [line.split("\t") for line in HEADINGS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {msgid: msgstr for msgid, msgstr in pairs}


@pytest.fixture
def swedish_catalogue() -> Iterator[dict[str, str]]:
    catalogue = trans_real.translation("sv")._catalog  # type: ignore[attr-defined]
    added = []
    with translation.override("sv"):
        for msgid, msgstr in headings().items():
            if translation.gettext(msgid) == msgid and msgstr != msgid:
                catalogue[msgid] = msgstr
                added.append(msgid)
    try:
        yield headings()
    finally:
        for msgid in added:
            for part in catalogue._catalogs:
                part.pop(msgid, None)


def test_headings_file_lists_strings_the_report_uses() -> None:
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in [
            Path(settings.BASE_DIR) / "templates" / "reports" / "report.html",
            Path(settings.BASE_DIR) / "reports" / "pdf.py",
            Path(settings.BASE_DIR) / "reports" / "services.py",
        ]
    ).replace("\\u2013", "\u2013")
    as_template = {msgid: re.sub(r"%\((\w+)\)s", r"{{ \1 }}", msgid) for msgid in headings()}
    missing = [msgid for msgid, template in as_template.items() if msgid not in sources and template not in sources]
    assert missing == []
    assert all(msgstr for msgstr in headings().values())


def test_swedish_report_has_swedish_headings_and_content(report_world, swedish_catalogue, tmp_path: Path) -> None:
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="sv")
    content = report_render(snapshot=snapshot)
    text = pdf_text(content, tmp_path)
    for msgid in ["Contents", "Vision and target state", "Focus areas and actions", "Indicators", "Maturity", "Appendices", "Year-end assessments"]:
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
