"""A snapshot made into a document: the report's HTML and its PDF.

``reports.pdf`` (WeasyPrint, pygal) is imported only when a report is
rendered, so that the web process never loads it.
"""

from __future__ import annotations

from typing import Any

from .snapshot import snapshot_digest


def report_html_build(*, snapshot: dict[str, Any]) -> str:
    """The report's HTML (with its print CSS and SVG charts inlined)."""
    from .pdf import build_html

    return build_html(snapshot)


def report_render(*, snapshot: dict[str, Any]) -> bytes:
    """Render a snapshot to a tagged PDF (PDF/UA-1) with fonts embedded.

    Deterministic: dates in the metadata come from the snapshot and the
    file identifier from its digest, so the same snapshot gives the same bytes.
    """
    from .pdf import html_to_pdf

    return html_to_pdf(report_html_build(snapshot=snapshot), identifier=snapshot_digest(snapshot))
