"""Import of targets and actual values from XLSX and CSV files.

The flow: ``import_read`` turns a file into rows; ``import_validate`` checks
every row against the strategy with a handful of bulk queries (never one per
row) and returns an ``ImportPlan``: the errors, or the rows to create and
update; ``import_apply`` writes a plan without errors in one transaction.
Re-importing the same file finds every value unchanged and writes nothing.

Errors are stored as codes with parameters (``RowError``) and turned into
sentences by ``error_message`` in the reader's language.

Columns (header row, any order, case-insensitive; Finnish and Swedish names
accepted): ``indicator_id`` or ``indicator`` (name), ``unit`` (slug or name;
empty = the total), ``year``, ``target``, ``actual``. An empty value cell
leaves that value as it is. Other columns (as in our export) are ignored.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation, Strategy

from .models import EntryRights, Indicator, Measurement, Target
from .numbers import NumberError, parse_decimal

ALLOWED_EXTENSIONS = ("xlsx", "csv")
# Cells that spreadsheet programs would run as formulas ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@")

COLUMN_ALIASES = {
    "indicator_id": ("indicator_id", "id", "mittari_id", "indikator_id"),
    "indicator": ("indicator", "mittari", "indikator", "mätare"),
    "unit": ("unit", "yksikkö", "yksikko", "enhet"),
    "year": ("year", "vuosi", "år"),
    "target": ("target", "tavoite", "tavoitearvo", "målvärde"),
    "actual": ("actual", "toteuma", "utfall"),
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}

MESSAGES = {
    "empty_file": _("The file is empty."),
    "no_rows": _("The file has a header row but no data rows."),
    "not_spreadsheet": _("The file is not a spreadsheet that can be read. Save it as XLSX or CSV (UTF-8) and try again."),
    "wrong_extension": _("Only XLSX and CSV files can be imported."),
    "file_too_large": _("The file is larger than %(limit)s MB. Split it into smaller files."),
    "too_many_rows": _("The file has more than %(limit)s rows. Split it into smaller files."),
    "missing_column": _("The column “%(column)s” is missing from the header row."),
    "no_value_columns": _("The header row needs a column “target” or “actual”."),
    "not_a_number": _("“%(value)s” is not a number."),
    "too_large": _("“%(value)s” is too large."),
    "not_a_year": _("“%(value)s” is not a year."),
    "year_outside": _("The year %(year)s lies outside the strategy period %(start)s–%(end)s."),
    "missing_indicator": _("The indicator is missing."),
    "missing_year": _("The year is missing."),
    "unknown_indicator": _("There is no indicator “%(value)s” in this strategy."),
    "ambiguous_indicator": _("Several indicators are called “%(value)s”: use the indicator_id column."),
    "unknown_unit": _("There is no unit “%(value)s” in this strategy's organisation."),
    "unit_not_allowed": _("You may not enter values for “%(value)s”."),
    "total_not_allowed": _("Only the strategy's owners may enter totals; name your unit."),
    "target_not_allowed": _("Only the strategy's owners may set targets."),
    "duplicate": _("The same indicator, unit and year already appear on row %(row)s."),
    "formula": _("Formulas are not imported (“%(value)s”). Paste the values only."),
    "percentage": _("A percentage must be between 0 and 100."),
    "changed_meanwhile": _("The values changed while the import was saved. Check the file and try again."),
}


def error_message(error: dict[str, Any]) -> str:
    """A stored error as a sentence in the active language."""
    return str(MESSAGES[error["code"]]) % error.get("params", {})


class ImportFileError(Exception):
    """The whole file is refused; ``code`` and ``params`` as in ``MESSAGES``."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        return {"row": None, "column": None, "code": self.code, "params": self.params}


def max_bytes() -> int:
    return getattr(settings, "SUUNTA_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "SUUNTA_IMPORT_MAX_ROWS", 50_000)


def sync_rows() -> int:
    """Files with more rows than this are handled by a Celery task."""
    return getattr(settings, "SUUNTA_IMPORT_SYNC_ROWS", 2_000)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(*, name: str, size: int) -> None:
    """Refuse by name and size before the file is stored."""
    if extension_of(name) not in ALLOWED_EXTENSIONS:
        raise ImportFileError("wrong_extension")
    if size == 0:
        raise ImportFileError("empty_file")
    if size > max_bytes():
        raise ImportFileError("file_too_large", limit=max_bytes() // (1024 * 1024) or 1)


# --- reading -------------------------------------------------------------------------------


def _xlsx_rows(handle: IO[bytes], *, estimate: bool = False) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        if not zipfile.is_zipfile(handle):
            raise ImportFileError("not_spreadsheet")
        handle.seek(0)
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # max_row scans the whole sheet when the file has no dimension record: only on request.
        size = sheet.max_row if estimate else None
    except ImportFileError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise ImportFileError("not_spreadsheet") from exc

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError("not_spreadsheet") from exc
        finally:
            workbook.close()

    return rows(), size


def _csv_rows(handle: IO[bytes]) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    raw = handle.read()
    if b"\x00" in raw[:8192]:
        raise ImportFileError("not_spreadsheet")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Finnish Windows still saves "CSV" in Windows-1252.
        text = raw.decode("cp1252", errors="strict") if _is_cp1252(raw) else None
        if text is None:
            raise ImportFileError("not_spreadsheet") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if not first_line.count(delimiter) and len(text.strip().splitlines()) > 1:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return (tuple(row) for row in reader), text.count("\n") + 1


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def import_read(
    handle: IO[bytes], *, name: str, estimate: bool = False
) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    """Rows of the first sheet (XLSX) or of the file (CSV), and an estimate of their number."""
    handle.seek(0, io.SEEK_END)
    if handle.tell() == 0:
        raise ImportFileError("empty_file")
    handle.seek(0)
    if extension_of(name) == "xlsx":
        return _xlsx_rows(handle, estimate=estimate)
    if extension_of(name) == "csv":
        return _csv_rows(handle)
    raise ImportFileError("wrong_extension")


def estimate_rows(handle: IO[bytes], *, name: str) -> int | None:
    """How many rows the file has, cheaply (the XLSX dimension, CSV line count)."""
    try:
        _rows, estimate = import_read(handle, name=name, estimate=True)
    except ImportFileError:
        return 0  # refused files are handled quickly in the request
    return estimate


# --- validation ----------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """The outcome of validation: errors, or exactly what applying will write."""

    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # New rows as (indicator_id, unit_id, year, value) tuples, written by ``_insert``.
    new_measurements: list[tuple[int, int | None, int, Decimal]] = field(default_factory=list)
    changed_measurements: list[Measurement] = field(default_factory=list)
    new_targets: list[tuple[int, int | None, int, Decimal]] = field(default_factory=list)
    user_id: int | None = None
    entered_at: datetime | None = None
    changed_targets: list[Target] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "errors": len(self.errors),
            "bad_rows": len({e["row"] for e in self.errors if e["row"] is not None}),
            "new_measurements": len(self.new_measurements),
            "changed_measurements": len(self.changed_measurements),
            "new_targets": len(self.new_targets),
            "changed_targets": len(self.changed_targets),
            "unchanged": self.unchanged,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_formula(value: Any, *, text_column: bool) -> bool:
    if value is None or isinstance(value, int | float | Decimal | date | datetime):
        return False
    if not isinstance(value, str):
        return True  # openpyxl's ArrayFormula and other formula objects
    stripped = value.lstrip()
    if text_column:
        return stripped.startswith(FORMULA_PREFIXES)
    return stripped.startswith("=")


def _header(cells: tuple[Any, ...]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _text(cell).lower().replace(" ", "_")
        column = _ALIAS_TO_COLUMN.get(key)
        if column and column not in positions:
            positions[column] = index
    if "indicator_id" not in positions and "indicator" not in positions:
        raise ImportFileError("missing_column", column="indicator_id")
    if "year" not in positions:
        raise ImportFileError("missing_column", column="year")
    if "target" not in positions and "actual" not in positions:
        raise ImportFileError("no_value_columns")
    return positions


def _maker(model: type[Measurement] | type[Target], **defaults: Any) -> Callable[..., Any]:
    """A fast constructor for many unsaved rows: Django's Model() is quickest
    with positional values in field order, which this builds from the model's
    own field list (so a new field with a default needs no change here)."""
    fields = [f.attname for f in model._meta.concrete_fields]
    base = {f.attname: (f.get_default() if f.has_default() or f.null or f.blank else None) for f in model._meta.concrete_fields}
    base.update(defaults)

    def make(**values: Any) -> Any:
        merged = {**base, **values}
        return model(*[merged[name] for name in fields])

    return make


class _Lookups:
    """Everything validation needs from the database, fetched once."""

    def __init__(self, strategy: Strategy) -> None:
        self.indicators: dict[int, bool] = {}  # id → is_percentage
        self.by_name: dict[str, list[int]] = {}
        for row in Indicator.objects.filter(strategy=strategy).values("pk", "is_percentage", "name_fi", "name_sv", "name_en"):
            self.indicators[row["pk"]] = row["is_percentage"]
            for name in {row["name_fi"], row["name_sv"], row["name_en"]} - {None, ""}:
                ids = self.by_name.setdefault(name.strip().lower(), [])
                if row["pk"] not in ids:
                    ids.append(row["pk"])
        self.units: dict[str, int] = {}
        for unit in Organisation.objects.below(strategy.organisation).values("pk", "slug", "name", "short_name"):
            for key in (unit["slug"], unit["name"], unit["short_name"], str(unit["pk"])):
                if key:
                    self.units.setdefault(key.strip().lower(), unit["pk"])
        self.unit_names = dict(Organisation.objects.below(strategy.organisation).values_list("pk", "name"))
        # Existing values as plain tuples: building 20,000 model instances to compare
        # numbers would cost more than reading the spreadsheet.
        key = ("indicator_id", "unit_id", "year", "pk", "value")
        self.measurements: dict[tuple[int, int | None, int], tuple[int, Decimal]] = {
            (i, u, y): (pk, v) for i, u, y, pk, v in Measurement.objects.filter(indicator__strategy=strategy).values_list(*key)
        }
        self.targets: dict[tuple[int, int | None, int], tuple[int, Decimal]] = {
            (i, u, y): (pk, v) for i, u, y, pk, v in Target.objects.filter(indicator__strategy=strategy).values_list(*key)
        }


def import_validate(
    handle: IO[bytes],
    *,
    name: str,
    strategy: Strategy,
    rights: EntryRights,
    user: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Check every row; collect all errors rather than stop at the first."""
    plan = ImportPlan()
    try:
        rows, _estimate = import_read(handle, name=name)
        header = next(rows, None)
        while header is not None and not any(_text(cell) for cell in header):
            header = next(rows, None)
        if header is None:
            raise ImportFileError("empty_file")
        positions = _header(header)
        data: list[tuple[int, tuple[Any, ...]]] = []
        limit = max_rows()
        for number, cells in enumerate(rows, start=2):
            if any(cell is not None and cell != "" for cell in cells):
                data.append((number, cells))
                if len(data) > limit:
                    raise ImportFileError("too_many_rows", limit=limit)
        if not data:
            raise ImportFileError("no_rows")
    except ImportFileError as exc:
        plan.errors.append(exc.as_dict())
        return plan

    plan.rows = len(data)
    labels = {column: _text(header[index]) or column for column, index in positions.items()}
    lookups = _Lookups(strategy)
    period = strategy.years
    seen: dict[tuple[int, int | None, int], int] = {}
    now = timezone.now()
    plan.user_id, plan.entered_at = getattr(user, "pk", None), now
    new_measurement = _maker(Measurement, entered_by_id=getattr(user, "pk", None), entered_at=now)
    new_target = _maker(Target)
    errors = plan.errors
    total = len(data)
    step = max(total // 20, 500)

    def cell(cells: tuple[Any, ...], column: str) -> Any:
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    for done, (number, cells) in enumerate(data, start=1):
        if progress and done % step == 0:
            progress(done, total)
        row_errors: list[dict[str, Any]] = []

        def fail(column: str, code: str, row_errors: list[dict[str, Any]] = row_errors, number: int = number, **params: object) -> None:
            # The column as the file names it ("yksikkö"), so people find it in their sheet.
            row_errors.append({"row": number, "column": labels.get(column, column), "code": code, "params": params})

        for column in positions:
            value = cell(cells, column)
            if _is_formula(value, text_column=column in ("indicator", "unit")):
                fail(column, "formula", value=_text(value)[:40])
        if row_errors:
            errors.extend(row_errors)
            continue
        if all(_text(cell(cells, column)) == "" for column in ("target", "actual")):
            continue  # nothing to record (the export lists indicators without values this way)

        # Indicator: by id, else by name in any language.
        indicator_id: int | None = None
        raw_id = _text(cell(cells, "indicator_id"))
        raw_name = _text(cell(cells, "indicator"))
        if raw_id:
            try:
                indicator_id = int(Decimal(raw_id.replace("\u00a0", "").replace(" ", "")))
            except (ArithmeticError, ValueError):
                indicator_id = None
            if indicator_id not in lookups.indicators:
                fail("indicator_id", "unknown_indicator", value=raw_id)
                indicator_id = None
        elif raw_name:
            matches = lookups.by_name.get(raw_name.lower(), [])
            if len(matches) == 1:
                indicator_id = matches[0]
            elif matches:
                fail("indicator", "ambiguous_indicator", value=raw_name)
            else:
                fail("indicator", "unknown_indicator", value=raw_name)
        else:
            fail("indicator_id" if "indicator_id" in positions else "indicator", "missing_indicator")

        # Unit: empty means the total.
        unit_id: int | None = None
        raw_unit = _text(cell(cells, "unit"))
        if raw_unit:
            unit_id = lookups.units.get(raw_unit.lower())
            if unit_id is None:
                fail("unit", "unknown_unit", value=raw_unit)
            elif not rights.may_enter(unit_id):
                fail("unit", "unit_not_allowed", value=lookups.unit_names.get(unit_id, raw_unit))
        elif not rights.totals:
            fail("unit", "total_not_allowed")

        # Year inside the strategy period.
        year: int | None = None
        raw_year = cell(cells, "year")
        if raw_year is None or _text(raw_year) == "":
            fail("year", "missing_year")
        else:
            try:
                number_value = parse_decimal(raw_year)
                if number_value != number_value.to_integral_value():
                    raise NumberError("not_a_number")
                year = int(number_value)
            except NumberError:
                fail("year", "not_a_year", value=_text(raw_year)[:40])
            else:
                if year not in period:
                    fail("year", "year_outside", year=year, start=strategy.period_start, end=strategy.period_end)
                    year = None

        # Values.
        values: dict[str, Decimal] = {}
        for column in ("target", "actual"):
            raw = cell(cells, column)
            if raw is None or _text(raw) == "":
                continue
            try:
                values[column] = parse_decimal(raw)
            except NumberError as exc:
                fail(column, exc.code, value=_text(raw)[:40])
                continue
            if indicator_id is not None and lookups.indicators[indicator_id] and not (0 <= values[column] <= 100):
                fail(column, "percentage")
        if "target" in values and not rights.targets:
            fail("target", "target_not_allowed")

        if row_errors or indicator_id is None or year is None:
            errors.extend(row_errors)
            continue
        key = (indicator_id, unit_id, year)
        if key in seen:
            errors.append({"row": number, "column": None, "code": "duplicate", "params": {"row": seen[key]}})
            continue
        seen[key] = number

        if "actual" in values:
            existing = lookups.measurements.get(key)
            if existing is None:
                plan.new_measurements.append((indicator_id, unit_id, year, values["actual"]))
            elif existing[1] != values["actual"]:
                plan.changed_measurements.append(
                    new_measurement(id=existing[0], indicator_id=indicator_id, unit_id=unit_id, year=year, value=values["actual"])
                )
            else:
                plan.unchanged += 1
        if "target" in values:
            existing_target = lookups.targets.get(key)
            if existing_target is None:
                plan.new_targets.append((indicator_id, unit_id, year, values["target"]))
            elif existing_target[1] != values["target"]:
                plan.changed_targets.append(
                    new_target(id=existing_target[0], indicator_id=indicator_id, unit_id=unit_id, year=year, value=values["target"])
                )
            else:
                plan.unchanged += 1
    if progress:
        progress(total, total)
    return plan


def import_apply(plan: ImportPlan) -> dict[str, int]:
    """Write a plan without errors, all or nothing; return its summary."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    now = plan.entered_at or timezone.now()
    with transaction.atomic():
        _insert(Measurement, [(*row, "", plan.user_id, now) for row in plan.new_measurements])
        Measurement.objects.bulk_update(plan.changed_measurements, ["value", "entered_by_id", "entered_at"], batch_size=2000)
        _insert(Target, plan.new_targets)
        Target.objects.bulk_update(plan.changed_targets, ["value"], batch_size=2000)
    return plan.summary


_INSERT_COLUMNS = {
    Measurement: ("indicator_id", "unit_id", "year", "value", "source_note", "entered_by_id", "entered_at"),
    Target: ("indicator_id", "unit_id", "year", "value"),
}


def _insert(model: type[Measurement] | type[Target], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows with one prepared statement (``executemany``).

    ``bulk_create`` spends most of its time compiling SQL for each model
    instance; for 10,000-row files that alone exceeded openpyxl's read time.
    Values go through the backend's own adapters, and the database's
    constraints and triggers still check every row.
    """
    if not rows:
        return
    attnames = _INSERT_COLUMNS[model]
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in attnames]
    ops = connection.ops
    adapters: list[Callable[[Any], Any]] = []
    for model_field in fields:
        if model_field.get_internal_type() == "DecimalField":
            adapters.append(lambda v, f=model_field: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        elif model_field.get_internal_type() == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        else:
            adapters.append(lambda v: v)
    columns = ", ".join(ops.quote_name(model._meta.get_field(name.removesuffix("_id")).column) for name in attnames)
    placeholders = ", ".join(["%s"] * len(attnames))
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(sql, [tuple(adapt(v) for adapt, v in zip(adapters, row, strict=True)) for row in batch])
