"""Spreadsheet export of a round's results (XLSX, CSV), written by
``strategy.spreadsheets``, which keeps formulas out of the file."""

from __future__ import annotations

from django.http import HttpResponse

from strategy import spreadsheets

from . import services
from .models import AssessmentRound


def round_table(*, round_: AssessmentRound) -> spreadsheets.Table:
    """The round's results, anonymised as on the pages; names only in a round
    that is not anonymous (the caller lets only the owner export)."""
    header, rows = services.round_export_rows(round_=round_, with_names=not round_.is_anonymous)
    return spreadsheets.Table(title=str(round_.year), header=header, rows=rows)


def round_export_response(*, round_: AssessmentRound, fmt: str) -> HttpResponse:
    """The round's results as ``fmt`` (``"csv"`` or ``"xlsx"``)."""
    table = round_table(round_=round_)
    filename = f"maturity-{round_.model.strategy.slug}-{round_.year}"
    if fmt == "csv":
        return spreadsheets.csv_response(table, filename=filename)
    return spreadsheets.xlsx_response(table, filename=filename)
