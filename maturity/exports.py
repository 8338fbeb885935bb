"""Spreadsheet export of a round's results (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def rows_to_xlsx(header: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    """One sheet with a bold, frozen header row; columns sized to their text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell if isinstance(cell, int | float) or cell is None else str(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max((len(str(cell.value or "")) for cell in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
