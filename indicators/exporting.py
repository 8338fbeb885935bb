"""Export of a strategy's indicators with their targets and values (XLSX, CSV).

One row per indicator, unit and year that has a target or a value. The
columns ``indicator_id``, ``unit``, ``year``, ``target`` and ``actual`` are
the ones the import reads, so an exported file can be edited and imported
back. Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from strategy.models import Strategy

from .importing import FORMULA_PREFIXES
from .models import Indicator

HEADER = (
    "indicator_id",
    "indicator",
    "unit",
    "unit_name",
    "year",
    "target",
    "actual",
    "unit_of_measure",
    "direction",
    "baseline_year",
    "baseline_value",
    "sdgs",
)


def _safe(text: str) -> str:
    """Text that spreadsheet programs will not execute."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def export_rows(indicators: list[Indicator]) -> Iterator[tuple[Any, ...]]:
    """The export's data rows from indicators with prefetched targets, measurements and SDGs."""
    for indicator in indicators:
        cells: dict[tuple[int | None, int], dict[str, Any]] = {}
        units: dict[int | None, Any] = {None: None}
        for target in indicator.targets.all():
            cells.setdefault((target.unit_id, target.year), {})["target"] = target.value
            units[target.unit_id] = target.unit
        for measurement in indicator.measurements.all():
            cells.setdefault((measurement.unit_id, measurement.year), {})["actual"] = measurement.value
            units[measurement.unit_id] = measurement.unit
        sdgs = ", ".join(str(sdg.number) for sdg in indicator.sdgs.all())
        ordered = sorted(cells, key=lambda key: (units[key[0]].path if units[key[0]] else "", key[1]))
        if not ordered:
            ordered = []
            yield (indicator.pk, indicator.name, "", "", None, None, None, indicator.unit_of_measure,
                   indicator.direction, indicator.baseline_year, indicator.baseline_value, sdgs)
        for unit_id, year in ordered:
            unit = units[unit_id]
            values = cells[(unit_id, year)]
            yield (
                indicator.pk,
                indicator.name,
                unit.slug if unit else "",
                unit.name if unit else _("Total"),
                year,
                values.get("target"),
                values.get("actual"),
                indicator.unit_of_measure,
                indicator.direction,
                indicator.baseline_year,
                indicator.baseline_value,
                sdgs,
            )


def _filename(strategy: Strategy, ext: str) -> str:
    return f"{slugify(strategy.slug)}-indicators.{ext}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def csv_response(*, strategy: Strategy, indicators: list[Indicator]) -> HttpResponse:
    """CSV as Excel opens it in the reader's language: semicolons and decimal
    commas in Finnish and Swedish, commas and points in English; UTF-8 with BOM."""
    nordic = (get_language() or "fi")[:2] in ("fi", "sv")
    delimiter, decimal_mark = (";", ",") if nordic else (",", ".")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    for row in export_rows(indicators):
        out = []
        for value in row:
            if isinstance(value, Decimal):
                out.append(_plain(value).replace(".", decimal_mark))
            elif isinstance(value, str):
                out.append(_safe(value))
            else:
                out.append("" if value is None else value)
        writer.writerow(out)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(strategy, "csv")}"'
    return response


def xlsx_workbook_bytes(*, strategy: Strategy, indicators: list[Indicator]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Indicators")[:31])
    sheet.append(list(HEADER))
    for row in export_rows(indicators):
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                cells.append(float(value))
            elif isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # never a formula, even when the text starts with "="
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, strategy: Strategy, indicators: list[Indicator]) -> HttpResponse:
    response = HttpResponse(
        xlsx_workbook_bytes(strategy=strategy, indicators=indicators),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(strategy, "xlsx")}"'
    return response
