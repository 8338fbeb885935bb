"""The one helper that writes every spreadsheet export: data, never formulas."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from strategy import spreadsheets
from strategy.spreadsheets import Table

# (text as stored, text as exported)
TEXTS = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1+1", "'-1+1"),
    ("-5", "'-5"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\n=1", "'\n=1"),
    ("  =1+1", "'  =1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("\uff0b1", "'\uff0b1"),
    ("\uff0d1", "'\uff0d1"),
    ("\uff20SUM(1)", "'\uff20SUM(1)"),
    ("Kirjasto", "Kirjasto"),
    ("Visio 2027 = tavoite", "Visio 2027 = tavoite"),
    ("'already quoted", "'already quoted"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_safe_text_prefixes_a_quote_only_to_dangerous_text(text: str, expected: str) -> None:
    assert spreadsheets.safe_text(text) == expected


# (value, XLSX cell value, XLSX data type, CSV field with a decimal comma)
VALUES: list[tuple[Any, Any, str, str]] = [
    (5, 5, "n", "5"),
    (-5, -5, "n", "-5"),
    (-2.5, -2.5, "n", "-2,5"),
    (2.0, 2, "n", "2"),
    (Decimal("1100.000000"), 1100, "n", "1100"),
    (Decimal("-72.50"), -72.5, "n", "-72,5"),
    ("-5", "'-5", "s", "'-5"),
    ("=1+1", "'=1+1", "s", "'=1+1"),
    ("Kävijämäärä", "Kävijämäärä", "s", "Kävijämäärä"),
    (None, None, "n", ""),
    (True, True, "b", "1"),
    (datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 1), "d", "2025-03-01"),
]


def _xlsx_cells(table: Table) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(table))).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize(("value", "cell_value", "data_type", "field"), VALUES)
def test_values_keep_their_type_and_texts_are_neutralised(value: Any, cell_value: Any, data_type: str, field: str) -> None:
    table = Table(title="T", header=["value", "next"], rows=[[value, 0]])
    cell = _xlsx_cells(table)[1][0]
    assert cell.value == cell_value
    assert cell.data_type == data_type
    text = spreadsheets.csv_text(table, delimiter=";", decimal_mark=",")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == [field, "0"]


def test_no_text_cell_becomes_a_formula_anywhere_in_the_sheet() -> None:
    dangerous = [text for text, expected in TEXTS if text != expected]
    table = Table(title="=1+1", header=dangerous, rows=[dangerous, [1, -1, 2.5]], preamble=[dangerous, []])
    cells = [cell for row in _xlsx_cells(table) for cell in row if cell.value is not None]
    assert cells
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert all(not text.startswith(spreadsheets.DANGEROUS_PREFIXES) for text in texts)
    assert [cell.value for cell in cells if cell.data_type == "n"] == [1, -1, 2.5]


def test_control_characters_that_xlsx_cannot_hold_are_dropped() -> None:
    table = Table(title="T", header=["h"], rows=[["a\x01b\x0bc\td"]])
    assert _xlsx_cells(table)[1][0].value == "abc\td"


def test_sheet_title_loses_characters_excel_refuses_and_is_cut_to_31() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(Table(title="a/b:c" * 10, header=[], rows=[]))))
    assert workbook.active.title == ("a b c" * 10)[:31]


@pytest.mark.parametrize(
    ("filename", "ascii_name", "utf8_name"),
    [
        ("plan-kirjasto-2025.xlsx", "plan-kirjasto-2025.xlsx", "plan-kirjasto-2025.xlsx"),
        ("mittarit-Kävijämäärä 2025.csv", "mittarit-Kavijamaara-2025.csv", "mittarit-K%C3%A4vij%C3%A4m%C3%A4%C3%A4r%C3%A4%202025.csv"),
        ('evil";\r\nX-Header: 1.xlsx', "evil-X-Header-1.xlsx", "evil%22%3B%0D%0AX-Header%3A%201.xlsx"),
        ("../../etc/passwd", "etc-passwd", "..-..-etc-passwd"),
        ("ääää", "aaaa", "%C3%A4%C3%A4%C3%A4%C3%A4"),
        ("日本", "export", "%E6%97%A5%E6%9C%AC"),
    ],
)
def test_content_disposition_has_an_ascii_name_and_the_utf8_name(filename: str, ascii_name: str, utf8_name: str) -> None:
    header = spreadsheets.content_disposition(filename)
    assert header == f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    assert header.isascii() and "\r" not in header and "\n" not in header


def test_responses_carry_type_name_and_byte_order_mark() -> None:
    table = Table(title="T", header=["a", "b"], rows=[["=1", Decimal("2.5")]])
    xlsx = spreadsheets.xlsx_response(table, filename="tiedosto")
    assert xlsx["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert 'filename="tiedosto.xlsx"' in xlsx["Content-Disposition"]
    response = spreadsheets.csv_response(table, filename="tiedosto", delimiter=",", decimal_mark=".")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="tiedosto.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").splitlines() == ["a,b", "'=1,2.5"]


@pytest.mark.parametrize(("language", "dialect"), [("fi", (";", ",")), ("sv", (";", ",")), ("en", (",", ".")), (None, (";", ","))])
def test_csv_dialect_follows_the_language(language: str | None, dialect: tuple[str, str]) -> None:
    assert spreadsheets.csv_dialect(language) == dialect
