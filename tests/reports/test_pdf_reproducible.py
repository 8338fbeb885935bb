"""The same snapshot renders to the same PDF bytes as long as the lock file is
unchanged: in one process, after other reports, and in a fresh interpreter
with another hash seed, time zone and date. Nothing in the file depends on
when or where it was rendered, only on the snapshot and the locked versions
(WeasyPrint names itself as the producer)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.services import report_render, report_snapshot_build, snapshot_digest
from strategy import clock

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FROZEN_ON = date(2025, 2, 3)

# Renders a snapshot read from stdin and writes the PDF to stdout, in a new
# interpreter: no state shared with the test process (caches, hash seed).
RENDER = """
import json, sys
import django
django.setup()
from reports.services import report_render
sys.stdout.buffer.write(report_render(snapshot=json.load(sys.stdin)))
"""


def _snapshot(world: Any, language: str = "fi") -> dict[str, Any]:
    with clock.fixed(FROZEN_ON):
        snapshot = report_snapshot_build(
            strategy=world.strategy, year=2024, to_year=None, unit=None, language=language
        )
    # What is stored in the database and handed to the worker: plain JSON.
    return json.loads(json.dumps(snapshot))


def _render_elsewhere(snapshot: dict[str, Any], *, hash_seed: str) -> bytes:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONHASHSEED": hash_seed,
        "TZ": "America/Los_Angeles",
        "SUUNTA_TODAY": "2031-12-31",
    }
    result = subprocess.run(
        [sys.executable, "-c", RENDER],
        input=json.dumps(snapshot).encode(),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return result.stdout


def _locked_version(package: str) -> str:
    match = re.search(rf"^{package}==(\S+)", (ROOT / "requirements.lock").read_text(), re.MULTILINE)
    assert match, f"{package} is not in requirements.lock"
    return match.group(1)


def _check_nothing_depends_on_the_rendering(content: bytes, snapshot: dict[str, Any]) -> None:
    reader = PdfReader(BytesIO(content))
    info = reader.metadata
    assert info is not None
    assert info["/CreationDate"].startswith("D:20250203000000")
    assert info["/ModDate"] == info["/CreationDate"]
    # The file identifier is the snapshot's digest, not random (its second
    # half is a checksum of the content).
    assert bytes(reader.trailer["/ID"][0].original_bytes) == snapshot_digest(snapshot)[:32].encode()
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    # No date of rendering in the XMP metadata, and no per-rendering ids.
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", xmp.replace("2025-02-03T", ""))
    assert "uuid:" not in xmp and "xmp.did" not in xmp
    # The producer is the locked WeasyPrint: a new lock may change the bytes.
    assert f"WeasyPrint {_locked_version('weasyprint')}" in xmp
    # Font subsets are named after their content (an md5 of the font and
    # glyphs), so the same text gives the same six-letter prefix.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    }
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+\S+", name) for name in fonts), fonts


def test_same_snapshot_renders_to_the_same_bytes_wherever_and_whenever(report_world) -> None:
    snapshot = _snapshot(report_world)
    first = report_render(snapshot=snapshot)
    _check_nothing_depends_on_the_rendering(first, snapshot)
    # Another report in between (another language, other texts and glyphs)
    # must leave nothing behind that changes the next rendering, and the
    # day of rendering does not count.
    report_render(snapshot=_snapshot(report_world, language="sv"))
    with clock.fixed(date(2030, 6, 1)):
        assert report_render(snapshot=snapshot) == first
    # A fresh interpreter: another hash seed, time zone and date.
    assert _render_elsewhere(snapshot, hash_seed="12345") == first
