"""Every spreadsheet export (XLSX and CSV) is written through this module.

The rule: an export carries data, never formulas. A spreadsheet program
runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` leaks data, ``=cmd|...`` has run programs), and some
also after a leading TAB, CR or LF or the full-width forms ``＝＋－＠``.
So a text value whose first character, or first character after leading
whitespace, is one of those is prefixed with a single quote, both in CSV
and in XLSX; in XLSX every text cell is in addition stored as a string
cell, which a spreadsheet never evaluates. Numbers, dates and booleans stay
typed cells: a negative number is a number, but the *text* ``"-5"`` is
neutralised like any other text.

The module also builds the HTTP response, so every export names its file
the same way: an ASCII ``filename`` for old clients and an RFC 5987
``filename*`` with the full UTF-8 name.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Characters that make a spreadsheet treat a cell as a formula, or that hide
# one (a TAB or line break before "=" on CSV import); the full-width forms are
# converted to their ASCII twins by some programs.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"

# Control characters that the XLSX format cannot hold (openpyxl refuses them);
# TAB, LF and CR are allowed.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ASCII_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

Number = int | float | Decimal


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(DANGEROUS_PREFIXES) or text.lstrip(" ").startswith(DANGEROUS_PREFIXES)


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet will show it but never run it."""
    return QUOTE + text if is_dangerous(text) else text


def _is_number(value: Any) -> bool:
    # bool is an int subclass, but a spreadsheet has its own boolean cell.
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def xlsx_value(value: Any) -> Any:
    """The value of an XLSX cell: numbers, dates and booleans as they are
    (a ``Decimal`` as a float, which is what a spreadsheet holds), anything
    else as neutralised text."""
    if value is None or isinstance(value, bool | datetime.date | datetime.time):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if _is_number(value):
        return value
    return safe_text(_ILLEGAL_XLSX.sub("", str(value)))


def _plain_number(value: Number, decimal_mark: str) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text.replace(".", decimal_mark)


def csv_value(value: Any, *, decimal_mark: str = ".") -> str:
    """The text of a CSV field: numbers with ``decimal_mark``, dates in ISO
    8601, anything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if _is_number(value):
        return _plain_number(value, decimal_mark)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return safe_text(str(value))


@dataclass
class Table:
    """What an export holds: optional rows above the header (the first one is
    the heading), the header row and the data rows. ``widths`` are column
    widths in characters; without them columns are sized to their text."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    preamble: Sequence[Sequence[Any]] = ()
    widths: Sequence[int] = ()


def _sheet_title(title: str) -> str:
    return (_SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip() or "Sheet")[:31]


def _auto_widths(rows: list[Sequence[Any]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            length = len(str(value)) if value is not None else 0
            if index >= len(widths):
                widths.append(length)
            elif length > widths[index]:
                widths[index] = length
    return [min(max(width + 2, 8), 60) for width in widths]


def xlsx_bytes(table: Table) -> bytes:
    """One worksheet, written as it streams: bold heading and header rows,
    the panes frozen below the header, every text cell a string cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = [list(row) for row in table.rows]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    widths = list(table.widths) or _auto_widths([list(table.header), *rows])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{len(table.preamble) + 2}"

    def cells(values: Sequence[Any], font: Any = None) -> list[Any]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string cell is never evaluated, whatever it holds
            if font is not None:
                cell.font = font
            out.append(cell)
        return out

    for number, values in enumerate(table.preamble):
        sheet.append(cells(values, Font(bold=True, size=14) if number == 0 else None))
    sheet.append(cells(table.header, Font(bold=True)))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(table: Table, *, delimiter: str = ";", decimal_mark: str = ".") -> str:
    """The table as CSV, preamble included, every field through ``csv_value``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in [*table.preamble, table.header]:
        writer.writerow([csv_value(value, decimal_mark=decimal_mark) for value in row])
    for row in table.rows:
        writer.writerow([csv_value(value, decimal_mark=decimal_mark) for value in row])
    return buffer.getvalue()


def csv_dialect(language: str | None) -> tuple[str, str]:
    """(delimiter, decimal mark) as Excel opens CSV in that language:
    semicolons and decimal commas in Finnish and Swedish, commas and points
    in English."""
    return (";", ",") if (language or "fi")[:2] in ("fi", "sv") else (",", ".")


def ascii_filename(filename: str) -> str:
    """A file name any client accepts: accents dropped, everything outside
    letters, digits, ``.``, ``_`` and ``-`` replaced by ``-``."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    cleaned = _ASCII_FILENAME_UNSAFE.sub("-", folded).strip("-.")
    return cleaned or "export"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the UTF-8 ``filename*`` (RFC 5987/6266)."""
    utf8_name = filename.replace("/", "-").replace("\\", "-")
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(table: Table, *, filename: str) -> HttpResponse:
    """``table`` as an XLSX download named ``filename`` (``.xlsx`` is added when missing)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return download(xlsx_bytes(table), filename=filename, content_type=XLSX_CONTENT_TYPE)


def csv_response(table: Table, *, filename: str, delimiter: str = ";", decimal_mark: str = ".") -> HttpResponse:
    """``table`` as a CSV download in UTF-8 with a byte order mark, which Excel
    needs to read the accents right (``.csv`` is added when missing)."""
    if not filename.lower().endswith(".csv"):
        filename += ".csv"
    text = "\ufeff" + csv_text(table, delimiter=delimiter, decimal_mark=decimal_mark)
    return download(text.encode("utf-8"), filename=filename, content_type=CSV_CONTENT_TYPE)


__all__ = [
    "DANGEROUS_PREFIXES",
    "Table",
    "ascii_filename",
    "content_disposition",
    "csv_dialect",
    "csv_response",
    "csv_text",
    "csv_value",
    "is_dangerous",
    "safe_text",
    "xlsx_bytes",
    "xlsx_response",
    "xlsx_value",
]
