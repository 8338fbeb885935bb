"""Export of a strategy's indicators with their targets and values (XLSX, CSV).

One row per indicator, unit and year that has a target or a value. The
columns ``indicator_id``, ``unit``, ``year``, ``target`` and ``actual`` are
the ones the import reads, so an exported file can be edited and imported
back. The file is written by ``strategy.spreadsheets``, which keeps
formulas out of it.

A qualitative indicator's targets, values and baseline are written as the
label of their level in the export's language (the import reads labels in
any language, and ordinals); an ordinal without a level stays a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from strategy import spreadsheets
from strategy.models import Strategy

from .models import Indicator
from .services import level_labels

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


def _cell_value(indicator: Indicator, labels: dict[int, str], value: Decimal | None) -> Any:
    """A value as the export writes it: a number, or a qualitative level's label."""
    if value is None or not indicator.is_qualitative:
        return value
    ordinal = int(value)
    return labels.get(ordinal, ordinal)


def export_rows(indicators: list[Indicator]) -> Iterator[tuple[Any, ...]]:
    """The export's data rows from indicators with prefetched targets,
    measurements, SDGs and levels (``indicators_with_values``)."""
    for indicator in indicators:
        labels = level_labels(indicator) if indicator.is_qualitative else {}
        cells: dict[tuple[int | None, int], dict[str, Any]] = {}
        units: dict[int | None, Any] = {None: None}
        for target in indicator.targets.all():
            cells.setdefault((target.unit_id, target.year), {})["target"] = _cell_value(indicator, labels, target.value)
            units[target.unit_id] = target.unit
        for measurement in indicator.measurements.all():
            value = _cell_value(indicator, labels, measurement.value)
            cells.setdefault((measurement.unit_id, measurement.year), {})["actual"] = value
            units[measurement.unit_id] = measurement.unit
        baseline = _cell_value(indicator, labels, indicator.baseline_value)
        sdgs = ", ".join(str(sdg.number) for sdg in indicator.sdgs.all())
        ordered = sorted(cells, key=lambda key: (units[key[0]].path if units[key[0]] else "", key[1]))
        if not ordered:
            yield (indicator.pk, indicator.name, "", "", None, None, None, indicator.unit_of_measure,
                   indicator.direction, indicator.baseline_year, baseline, sdgs)
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
                baseline,
                sdgs,
            )


def export_table(indicators: list[Indicator]) -> spreadsheets.Table:
    return spreadsheets.Table(title=_("Indicators"), header=HEADER, rows=export_rows(indicators))


def _filename(strategy: Strategy, ext: str) -> str:
    return f"{slugify(strategy.slug)}-indicators.{ext}"


def csv_response(*, strategy: Strategy, indicators: list[Indicator]) -> HttpResponse:
    """CSV as Excel opens it in the reader's language (``spreadsheets.csv_dialect``)."""
    delimiter, decimal_mark = spreadsheets.csv_dialect(get_language())
    return spreadsheets.csv_response(
        export_table(indicators), filename=_filename(strategy, "csv"), delimiter=delimiter, decimal_mark=decimal_mark
    )


def xlsx_response(*, strategy: Strategy, indicators: list[Indicator]) -> HttpResponse:
    return spreadsheets.xlsx_response(export_table(indicators), filename=_filename(strategy, "xlsx"))
