"""Import of targets and actual values from XLSX and CSV files.

The flow: ``check_upload`` and ``check_archive`` refuse a file by its name,
size and zip directory before it is stored (cheap enough for a web request:
no XML is parsed). In the worker, ``import_read`` turns the file into rows
within the limits below; ``import_validate`` checks every row against the
strategy with a handful of bulk queries (never one per row) and returns an
``ImportPlan``: the errors, or the rows to create and update, together with
the checked rows themselves (``ImportPlan.checked``). Saving later does not
read the file again: ``import_replan`` compares the checked rows with the
data as they are then, and ``import_apply`` writes a plan without errors in
one transaction. Re-importing the same file finds every value unchanged and
writes nothing.

Limits, each a Django setting (see README): the upload's size
(``SUUNTA_IMPORT_MAX_BYTES``), rows read including empty ones
(``SUUNTA_IMPORT_MAX_ROWS``), and for XLSX, which is a zip archive, the
number of archive entries, their unpacked size, their compression ratio and
the number of shared strings. A small archive can unpack to gigabytes, and
openpyxl holds every shared string in memory and pads missing rows up to the
sheet's declared size, so these are checked before openpyxl reads the part.

Errors are stored as codes with parameters (``RowError``) and turned into
sentences by ``error_message`` in the reader's language.

Columns (header row, any order, case-insensitive; Finnish and Swedish names
accepted): ``indicator_id`` or ``indicator`` (name), ``unit`` (slug or name;
empty = the total), ``year``, ``target``, ``actual``. An empty value cell
leaves that value as it is. Other columns (as in our export) are ignored.
A qualitative indicator's values are the ordinal of one of its levels or the
level's label in any language (the export writes labels), checked as the
entry grid checks them.

Changed values raise their row's ``version`` as a save in the grid does, so
that a grid form opened before the import cannot overwrite what it wrote.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation, Strategy

from .models import EntryRights, Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from .numbers import NumberError, parse_decimal

ALLOWED_EXTENSIONS = ("xlsx", "csv")
# Cells that spreadsheet programs would run as formulas ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Cells right of this column are never read: the columns we know (and our
# export's) are far to the left, and a single cell in column XFD would
# otherwise make every row 16,384 cells wide.
MAX_COLUMNS = 64
# XML parts that openpyxl parses whole into memory (the manifest, workbook,
# styles, relationships): a few hundred kilobytes in real workbooks. The first
# worksheet is read as a stream and the shared strings are counted first.
MAX_WHOLE_PART_BYTES = 16 * 1024 * 1024
# A ratio says nothing about tiny entries (a 2 kB part may compress 30-fold);
# bombs are large by definition.
RATIO_FLOOR_BYTES = 1024 * 1024
# Central directory bytes allowed per entry: a record is 46 bytes plus its
# name; a directory beyond this for the declared count is not a spreadsheet's.
DIRECTORY_BYTES_PER_ENTRY = 512

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
    "too_many_entries": _(
        "The file consists of more than %(limit)s parts, which a spreadsheet does not. Save it again as XLSX and try again."
    ),
    "too_large_unpacked": _("Unpacked, the file would take more than %(limit)s MB. Split it into smaller files."),
    "too_compressed": _(
        "The file unpacks to more than %(limit)s times its size, which a spreadsheet does not. Save it again as XLSX and try again."
    ),
    "too_many_strings": _("The file holds more than %(limit)s different texts. Split it into smaller files."),
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
    "not_a_level": _("“%(value)s” is not a level of this indicator. Choose one of: %(levels)s."),
    "ambiguous_level": _("“%(value)s” names more than one level of this indicator. Give the level's number: %(levels)s."),
    "no_levels": _("This indicator has no levels yet: add them in the strategy editor."),
    "changed_meanwhile": _("The values changed while the import was saved. Check the file and try again."),
    "file_missing": _("The uploaded file is no longer stored. Upload it again."),
    "stale": _(
        "The import did not finish within %(minutes)s minutes and was stopped. Nothing was saved. Upload the file again."
    ),
    "timed_out": _("Handling the file took longer than the time limit. Nothing was saved. Split it into smaller files."),
    "server_error": _(
        "The file could not be handled because of an error on the server. Nothing was saved. "
        "Try again, and if it happens again, tell the administrator."
    ),
    "expired": _("The checked file was not saved within %(hours)s hours and has been removed. Upload it again."),
}


def error_message(error: dict[str, Any]) -> str:
    """A stored error as a sentence in the active language; a parameter stored
    per language (a scale's levels) is given in that language."""
    params = {name: _in_language(value) for name, value in error.get("params", {}).items()}
    return str(MESSAGES[error["code"]]) % params


def _in_language(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    languages = [get_language() or "", *(code for code, _name in settings.LANGUAGES)]
    return next((value[code] for code in languages if value.get(code)), "")


class ImportFileError(Exception):
    """The whole file is refused; ``code`` and ``params`` as in ``MESSAGES``."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        return {"row": None, "column": None, "code": self.code, "params": self.params}


def max_bytes() -> int:
    return settings.SUUNTA_IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.SUUNTA_IMPORT_MAX_ROWS


def _megabytes(size: int) -> int:
    return max(size // (1024 * 1024), 1)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(*, name: str, size: int) -> None:
    """Refuse by name and size before the file is stored."""
    if extension_of(name) not in ALLOWED_EXTENSIONS:
        raise ImportFileError("wrong_extension")
    if size == 0:
        raise ImportFileError("empty_file")
    if size > max_bytes():
        raise ImportFileError("file_too_large", limit=_megabytes(max_bytes()))


# --- the archive -----------------------------------------------------------------------------

# The records at the end of a zip file (PKWARE APPNOTE 4.3.14-4.3.16).
_END = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


def _directory_size(handle: IO[bytes]) -> tuple[int, int]:
    """The number of entries and the size of the central directory, from the
    end record alone: ``zipfile`` would first build an object per entry,
    which for a crafted 10 MB file of empty entries takes many seconds."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    start = max(size - (_END.size + 0xFFFF), 0)  # the record ends with a comment of up to 64 kB
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        raise ImportFileError("not_spreadsheet")
    _sig, _disk, _cd_disk, _disk_entries, entries, directory, _offset, _comment = _END.unpack_from(tail, at)
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        if at < _ZIP64_LOCATOR.size:
            raise ImportFileError("not_spreadsheet")
        signature, _disk, record_at, _disks = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
        handle.seek(record_at)
        record = handle.read(_ZIP64_END.size)
        if signature != b"PK\x06\x07" or len(record) < _ZIP64_END.size or not record.startswith(b"PK\x06\x06"):
            raise ImportFileError("not_spreadsheet")
        entries, directory = _ZIP64_END.unpack(record)[7:9]
    return entries, directory


def check_archive(handle: IO[bytes]) -> None:
    """Refuse an XLSX file by its zip directory, before anything is unpacked.

    Checks the number of entries, the unpacked size of the whole archive,
    the compression ratio of each large entry, and the size of the parts
    openpyxl parses whole. The sizes come from the directory; ``zipfile``
    stops reading an entry at its declared size and then fails its checksum,
    so an archive cannot unpack to more than it declares.
    """
    limit = settings.SUUNTA_IMPORT_MAX_ENTRIES
    try:
        entries, directory = _directory_size(handle)
        if entries > limit or directory > limit * DIRECTORY_BYTES_PER_ENTRY:
            raise ImportFileError("too_many_entries", limit=limit)
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ImportFileError("not_spreadsheet") from exc
    if len(infos) > limit:
        raise ImportFileError("too_many_entries", limit=limit)
    total_limit = settings.SUUNTA_IMPORT_MAX_UNCOMPRESSED_BYTES
    ratio = settings.SUUNTA_IMPORT_MAX_RATIO
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > total_limit or total > total_limit:
            raise ImportFileError("too_large_unpacked", limit=_megabytes(total_limit))
        if info.file_size >= RATIO_FLOOR_BYTES and info.file_size > ratio * max(info.compress_size, 1):
            raise ImportFileError("too_compressed", limit=ratio)
        if info.file_size > MAX_WHOLE_PART_BYTES and _parsed_whole(info.filename):
            raise ImportFileError("too_large_unpacked", limit=_megabytes(MAX_WHOLE_PART_BYTES))


def _parsed_whole(name: str) -> bool:
    """Whether openpyxl (read-only) parses this part into memory at once."""
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return False  # streamed
    if lowered.endswith("sharedstrings.xml"):
        return False  # counted first, see _check_shared_strings
    return lowered.endswith((".xml", ".rels"))


_SI = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"


def _check_shared_strings(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a shared-string table larger than the limit, by its declared
    ``uniqueCount`` and by counting its entries as a stream (openpyxl would
    keep every one of them in memory, and the declaration may lie)."""
    from defusedxml.ElementTree import iterparse

    limit = settings.SUUNTA_IMPORT_MAX_SHARED_STRINGS
    count = 0
    root = None
    with archive.open(name) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element
                declared = element.get("uniqueCount") or "0"
                if not declared.isdigit():
                    raise ImportFileError("not_spreadsheet")
                if int(declared) > limit:
                    raise ImportFileError("too_many_strings", limit=limit)
            elif event == "end" and element.tag == _SI:
                count += 1
                if count > limit:
                    raise ImportFileError("too_many_strings", limit=limit)
                root.clear()  # keep memory flat: the entries are only counted


# --- reading -------------------------------------------------------------------------------


def _first_sheet(reader: Any) -> Any:
    """The workbook's first worksheet, read-only, as ``load_workbook`` would
    give it (``wb.worksheets[0]``) but without opening the other sheets."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            """The sheet's declared size from its ``<dimension>``, which the
            format puts before the rows. openpyxl looks for it until the end
            of ``<sheetData>``: a sheet without one, as openpyxl's write-only
            mode (and so our export) writes them, was parsed twice, a third
            of an import's reading time."""
            from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
            from openpyxl.worksheet.dimensions import SheetDimension
            from openpyxl.xml.functions import iterparse

            with self._get_source() as source:
                for _event, element in iterparse(source, events=("start",)):
                    if element.tag == DATA_TAG:
                        return
                    if element.tag == DIMENSION_TAG:
                        bounds = SheetDimension.from_tree(element).boundaries
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                        return

    for sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            return Sheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
    raise ImportFileError("not_spreadsheet")


def _xlsx_rows(handle: IO[bytes]) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.xml.constants import SHARED_STRINGS

    check_archive(handle)
    handle.seek(0)
    reader = None
    try:
        # load_workbook() in steps, so that the shared strings are counted
        # before openpyxl reads them all into a list, and that only the first
        # worksheet is opened (see ``_first_sheet``).
        reader = ExcelReader(handle, read_only=True, data_only=False)
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
        if strings is not None:
            _check_shared_strings(reader.archive, strings.PartName.lstrip("/"))
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # the number formats that tell dates from numbers
        sheet = _first_sheet(reader)
        declared = sheet.max_row  # the sheet's own <dimension>, read without a scan
        if declared is not None and declared > max_rows() + 1:
            raise ImportFileError("too_many_rows", limit=max_rows())
        # Otherwise read-only mode pads the rows up to the declared size.
        sheet.reset_dimensions()
    except ImportFileError:
        if reader is not None:
            reader.archive.close()
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, SyntaxError) as exc:
        # defusedxml's refusals are ValueErrors; expat's are SyntaxErrors.
        if reader is not None:
            reader.archive.close()
        raise ImportFileError("not_spreadsheet") from exc

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
            raise ImportFileError("not_spreadsheet") from exc
        finally:
            reader.archive.close()

    return rows(), declared


def _csv_rows(handle: IO[bytes]) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    raw = handle.read(max_bytes() + 1)
    if len(raw) > max_bytes():
        raise ImportFileError("file_too_large", limit=_megabytes(max_bytes()))
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

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            for row in reader:
                yield tuple(row[:MAX_COLUMNS])
        except csv.Error as exc:  # a field beyond csv's size limit, a stray NUL
            raise ImportFileError("not_spreadsheet") from exc

    return rows(), text.count("\n") + 1


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def import_read(handle: IO[bytes], *, name: str) -> tuple[Iterator[tuple[Any, ...]], int | None]:
    """Rows of the first sheet (XLSX) or of the file (CSV), and how many the
    file says it has (the XLSX dimension, the CSV line count; a guess for
    progress, not a limit). Raises ``ImportFileError`` for a file over the limits."""
    handle.seek(0, io.SEEK_END)
    if handle.tell() == 0:
        raise ImportFileError("empty_file")
    handle.seek(0)
    if extension_of(name) == "xlsx":
        return _xlsx_rows(handle)
    if extension_of(name) == "csv":
        return _csv_rows(handle)
    raise ImportFileError("wrong_extension")


# --- validation ----------------------------------------------------------------------------

# A checked row as kept between the preview and the save (JSON-friendly):
# (row number, indicator id, unit id or None, year, target, actual), values as strings or None.
Checked = tuple[int, int, int | None, int, str | None, str | None]


@dataclass
class ImportPlan:
    """The outcome of validation: errors, or exactly what applying will write."""

    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # New rows as (indicator_id, unit_id, year, value) tuples, written by ``_insert``;
    # changed ones as (id, value) pairs, written by ``_update``.
    new_measurements: list[tuple[int, int | None, int, Decimal]] = field(default_factory=list)
    changed_measurements: list[tuple[int, Decimal]] = field(default_factory=list)
    new_targets: list[tuple[int, int | None, int, Decimal]] = field(default_factory=list)
    user: Any = None
    entered_at: datetime | None = None
    changed_targets: list[tuple[int, Decimal]] = field(default_factory=list)
    unchanged: int = 0
    # What ``import_replan`` needs to plan again without the file.
    checked: list[Checked] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

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

    def stored(self) -> dict[str, Any]:
        """The checked rows for ``ImportJob.checked_rows``."""
        return {"labels": self.labels, "rows": self.checked}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_formula(value: Any, *, text_column: bool) -> bool:
    if isinstance(value, str):
        return value.lstrip().startswith(FORMULA_PREFIXES if text_column else "=")
    # openpyxl's ArrayFormula and other formula objects are neither text nor a value.
    return value is not None and not isinstance(value, int | float | Decimal | date | datetime)


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


class _Scale:
    """A qualitative indicator's levels as the import reads them: ordinals,
    and every language's label (lower case) to its ordinal."""

    def __init__(self) -> None:
        self.labels: dict[int, dict[str, str]] = {}  # ordinal → {language: label}
        self.by_label: dict[str, set[int]] = {}

    def add(self, ordinal: int, labels: dict[str, str]) -> None:
        self.labels[ordinal] = labels
        for label in labels.values():
            self.by_label.setdefault(label.strip().lower(), set()).add(ordinal)

    def listing(self) -> dict[str, str]:
        """The levels per language, "Label (ordinal), …", for error messages."""
        codes = [code for code, _name in settings.LANGUAGES]
        return {
            code: ", ".join(
                f"{labels.get(code) or next(iter(labels.values()), '')} ({ordinal})"
                for ordinal, labels in sorted(self.labels.items())
            )
            for code in codes
        }


class _Lookups:
    """Everything validation needs from the database, fetched once."""

    def __init__(self, strategy: Strategy) -> None:
        self.indicators: dict[int, bool] = {}  # id → is_percentage
        self.scales: dict[int, _Scale] = {}  # qualitative indicators only
        self.by_name: dict[str, list[int]] = {}
        for row in Indicator.objects.filter(strategy=strategy).values(
            "pk", "is_percentage", "kind", "name_fi", "name_sv", "name_en"
        ):
            self.indicators[row["pk"]] = row["is_percentage"]
            if row["kind"] == IndicatorKind.QUALITATIVE:
                self.scales[row["pk"]] = _Scale()
            for name in {row["name_fi"], row["name_sv"], row["name_en"]} - {None, ""}:
                ids = self.by_name.setdefault(name.strip().lower(), [])
                if row["pk"] not in ids:
                    ids.append(row["pk"])
        label_columns = [f"label_{code}" for code, _name in settings.LANGUAGES]
        levels = ScaleLevel.objects.filter(indicator__strategy=strategy, indicator__kind=IndicatorKind.QUALITATIVE)
        for level in levels.values("indicator_id", "ordinal", *label_columns):
            labels = {name.removeprefix("label_"): level[name] for name in label_columns if level[name]}
            self.scales[level["indicator_id"]].add(level["ordinal"], labels)
        self.units: dict[str, int] = {}
        for unit in Organisation.objects.below(strategy.organisation).values("pk", "slug", "name", "short_name"):
            for key in (unit["slug"], unit["name"], unit["short_name"], str(unit["pk"])):
                if key:
                    self.units.setdefault(key.strip().lower(), unit["pk"])
        self.unit_names = dict(Organisation.objects.below(strategy.organisation).values_list("pk", "name"))
        # Existing values as plain tuples: building 20,000 model instances to compare
        # numbers would cost more than reading the spreadsheet. Unordered: the models'
        # ordering joins the strategy only to sort.
        key = ("indicator_id", "unit_id", "year", "pk", "value")
        self.measurements: dict[tuple[int, int | None, int], tuple[int, Decimal]] = {
            (i, u, y): (pk, v)
            for i, u, y, pk, v in Measurement.objects.filter(indicator__strategy=strategy).order_by().values_list(*key)
        }
        self.targets: dict[tuple[int, int | None, int], tuple[int, Decimal]] = {
            (i, u, y): (pk, v)
            for i, u, y, pk, v in Target.objects.filter(indicator__strategy=strategy).order_by().values_list(*key)
        }


class _Planner:
    """The rules every row obeys and the comparison with the stored values,
    shared by the first check of a file and the one just before saving."""

    def __init__(self, *, strategy: Strategy, rights: EntryRights, user: Any, labels: dict[str, str]) -> None:
        self.plan = ImportPlan(user=user, entered_at=timezone.now(), labels=labels)
        self.lookups = _Lookups(strategy)
        self.strategy = strategy
        self.period = strategy.years
        self.rights = rights
        self.seen: dict[tuple[int, int | None, int], int] = {}

    def error(self, number: int, column: str | None, code: str, **params: object) -> dict[str, Any]:
        # The column as the file names it ("yksikkö"), so people find it in their sheet.
        label = self.plan.labels.get(column, column) if column else None
        return {"row": number, "column": label, "code": code, "params": params}

    def rules(
        self,
        number: int,
        *,
        indicator_id: int | None,
        unit_id: int | None,
        year: int | None,
        values: dict[str, Decimal],
        check_unit: bool = True,
    ) -> list[dict[str, Any]]:
        """The errors of a row by the rules on indicators, units, rights and
        years; a part that could not be read (None) is not judged."""
        errors: list[dict[str, Any]] = []
        if indicator_id is not None and indicator_id not in self.lookups.indicators:
            errors.append(self.error(number, "indicator_id", "unknown_indicator", value=str(indicator_id)))
        if not check_unit:
            pass
        elif unit_id is None:
            if not self.rights.totals:
                errors.append(self.error(number, "unit", "total_not_allowed"))
        elif unit_id not in self.lookups.unit_names:
            errors.append(self.error(number, "unit", "unknown_unit", value=str(unit_id)))
        elif not self.rights.may_enter(unit_id):
            errors.append(self.error(number, "unit", "unit_not_allowed", value=self.lookups.unit_names[unit_id]))
        if year is not None and year not in self.period:
            errors.append(
                self.error(number, "year", "year_outside", year=year, start=self.strategy.period_start, end=self.strategy.period_end)
            )
        scale = self.lookups.scales.get(indicator_id)  # type: ignore[arg-type]
        for column, value in values.items():
            if scale is not None:
                # As the grid's ``value_check``: the ordinal of an existing level.
                if not scale.labels:
                    errors.append(self.error(number, column, "no_levels"))
                elif value != value.to_integral_value() or int(value) not in scale.labels:
                    errors.append(self.error(number, column, "not_a_level", value=str(value), levels=scale.listing()))
            elif self.lookups.indicators.get(indicator_id) and not (0 <= value <= 100):  # type: ignore[arg-type]
                errors.append(self.error(number, column, "percentage"))
        if "target" in values and not self.rights.targets:
            errors.append(self.error(number, "target", "target_not_allowed"))
        return errors

    def add(
        self,
        number: int,
        *,
        indicator_id: int | None,
        unit_id: int | None,
        year: int | None,
        values: dict[str, Decimal],
        errors: list[dict[str, Any]] | None = None,
        check_unit: bool = True,
    ) -> None:
        """Judge a row (``errors``: those found while reading it) and, when it
        passes, plan what saving it writes."""
        errors = (errors or []) + self.rules(
            number, indicator_id=indicator_id, unit_id=unit_id, year=year, values=values, check_unit=check_unit
        )
        if errors or indicator_id is None or year is None:
            self.plan.errors.extend(errors)
            return
        key = (indicator_id, unit_id, year)
        if key in self.seen:
            self.plan.errors.append({"row": number, "column": None, "code": "duplicate", "params": {"row": self.seen[key]}})
            return
        self.seen[key] = number
        target, actual = values.get("target"), values.get("actual")
        self.plan.checked.append(
            (number, indicator_id, unit_id, year, None if target is None else str(target), None if actual is None else str(actual))
        )
        plan = self.plan
        if actual is not None:
            existing = self.lookups.measurements.get(key)
            if existing is None:
                plan.new_measurements.append((indicator_id, unit_id, year, actual))
            elif existing[1] != actual:
                plan.changed_measurements.append((existing[0], actual))
            else:
                plan.unchanged += 1
        if target is not None:
            existing_target = self.lookups.targets.get(key)
            if existing_target is None:
                plan.new_targets.append((indicator_id, unit_id, year, target))
            elif existing_target[1] != target:
                plan.changed_targets.append((existing_target[0], target))
            else:
                plan.unchanged += 1


def _read_data(
    handle: IO[bytes], *, name: str, progress: Callable[[int, int], None] | None
) -> tuple[tuple[Any, ...], dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    """The header, the column positions and the non-empty rows (only the
    columns we use), stopping as soon as the file has too many rows."""
    limit = max_rows()
    rows, estimate = import_read(handle, name=name)
    total = min(estimate or limit, limit)
    step = max(total // 20, 500)
    try:
        header: tuple[Any, ...] | None = None
        positions: dict[str, int] = {}
        pick: Callable[[tuple[Any, ...]], tuple[Any, ...]] = tuple
        widest = 0
        data: list[tuple[int, tuple[Any, ...]]] = []
        # Every row counts, empty ones too: a sheet can declare ten million of them.
        for number, cells in enumerate(rows, start=1):
            if number > limit + 1:  # the header and ``limit`` rows below it
                raise ImportFileError("too_many_rows", limit=limit)
            if progress and number % step == 0 and number <= total:
                progress(number, total)
            if header is None:
                if any(_text(cell) for cell in cells):
                    header = cells
                    positions = _header(header)
                    # The header names at least two columns, so itemgetter gives tuples.
                    pick, widest = itemgetter(*positions.values()), max(positions.values())
                continue
            if len(cells) > widest:
                used = pick(cells)
            else:  # a short CSV line
                used = tuple(cells[i] if i < len(cells) else None for i in positions.values())
            if used.count(None) + used.count("") < len(used):
                data.append((number, used))
    finally:
        rows.close()  # type: ignore[attr-defined]
    if header is None:
        raise ImportFileError("empty_file")
    if not data:
        raise ImportFileError("no_rows")
    return header, positions, data


def import_validate(
    handle: IO[bytes],
    *,
    name: str,
    strategy: Strategy,
    rights: EntryRights,
    user: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Check every row; collect all errors rather than stop at the first.

    The file is read once, as a stream (``_read_data``); the rows are then
    judged from memory (``_check_rows``). ``progress(done, total)`` is called
    now and then: reading the file is the first half, checking the rows the
    second.
    """
    half = (lambda done, total: progress(done, 2 * total)) if progress else None
    try:
        header, positions, data = _read_data(handle, name=name, progress=half)
    except ImportFileError as exc:
        return ImportPlan(errors=[exc.as_dict()])
    labels = {column: _text(header[index]) or column for column, index in positions.items()}
    planner = _Planner(strategy=strategy, rights=rights, user=user, labels=labels)
    planner.plan.rows = len(data)
    _check_rows(planner, positions, data, progress=progress)
    return planner.plan


def _check_rows(
    planner: _Planner,
    positions: dict[str, int],
    data: list[tuple[int, tuple[Any, ...]]],
    *,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Judge the rows read from the file, in order, into ``planner.plan``."""
    columns = tuple(positions)  # in the order of each row's cells
    total = len(data)
    step = max(total // 20, 500)
    for done, (number, cells) in enumerate(data, start=1):
        if progress and done % step == 0:
            progress(total + done, 2 * total)
        _check_row(_Row(number=number, cells=dict(zip(columns, cells, strict=True)), planner=planner))
    if progress:
        progress(2 * total, 2 * total)


@dataclass
class _Row:
    """One data row of the file (only the columns we use) and the errors
    found while reading its cells."""

    number: int
    cells: dict[str, Any]  # column → value
    planner: _Planner
    errors: list[dict[str, Any]] = field(default_factory=list)

    def cell(self, column: str) -> Any:
        return self.cells.get(column)

    def fail(self, column: str, code: str, **params: object) -> None:
        self.errors.append(self.planner.error(self.number, column, code, **params))


def _check_row(row: _Row) -> None:
    """Read a row's indicator, unit, year and values and hand it to the
    planner, which applies the rules shared with ``import_replan``."""
    for column, value in row.cells.items():
        if _is_formula(value, text_column=column in ("indicator", "unit")):
            row.fail(column, "formula", value=_text(value)[:40])
    if row.errors:
        row.planner.plan.errors.extend(row.errors)
        return
    if all(_text(row.cell(column)) == "" for column in ("target", "actual")):
        return  # nothing to record (the export lists indicators without values this way)
    indicator_id = _row_indicator(row)
    raw_unit = _text(row.cell("unit"))
    unit_id = _row_unit(row, raw_unit)
    year = _row_year(row)
    values = _row_values(row, indicator_id)
    row.planner.add(
        row.number,
        indicator_id=indicator_id,
        unit_id=unit_id,
        year=year,
        values=values,
        errors=row.errors,
        check_unit=not (raw_unit and unit_id is None),
    )


def _row_indicator(row: _Row) -> int | None:
    """The indicator by id, else by its name in any language."""
    lookups = row.planner.lookups
    raw_id = _text(row.cell("indicator_id"))
    raw_name = _text(row.cell("indicator"))
    if raw_id:
        try:
            indicator_id: int | None = int(Decimal(raw_id.replace("\u00a0", "").replace(" ", "")))
        except (ArithmeticError, ValueError):
            indicator_id = None
        if indicator_id not in lookups.indicators:
            row.fail("indicator_id", "unknown_indicator", value=raw_id)
            return None
        return indicator_id
    if raw_name:
        matches = lookups.by_name.get(raw_name.lower(), [])
        if len(matches) == 1:
            return matches[0]
        row.fail("indicator", "ambiguous_indicator" if matches else "unknown_indicator", value=raw_name)
        return None
    row.fail("indicator_id" if "indicator_id" in row.cells else "indicator", "missing_indicator")
    return None


def _row_unit(row: _Row, raw_unit: str) -> int | None:
    """The unit by slug, name, short name or id; empty means the total."""
    if not raw_unit:
        return None
    unit_id = row.planner.lookups.units.get(raw_unit.lower())
    if unit_id is None:
        row.fail("unit", "unknown_unit", value=raw_unit)
    return unit_id


def _row_year(row: _Row) -> int | None:
    raw_year = row.cell("year")
    if raw_year is None or _text(raw_year) == "":
        row.fail("year", "missing_year")
        return None
    try:
        number_value = parse_decimal(raw_year)
        if number_value != number_value.to_integral_value():
            raise NumberError("not_a_number")
    except NumberError:
        row.fail("year", "not_a_year", value=_text(raw_year)[:40])
        return None
    return int(number_value)


def _row_values(row: _Row, indicator_id: int | None) -> dict[str, Decimal]:
    """The target and actual value given; a qualitative indicator's value may
    also be one of its levels' labels in any language."""
    values: dict[str, Decimal] = {}
    scale = row.planner.lookups.scales.get(indicator_id) if indicator_id is not None else None
    for column in ("target", "actual"):
        raw = row.cell(column)
        if raw is None or _text(raw) == "":
            continue
        try:
            values[column] = parse_decimal(raw)
        except NumberError as exc:
            if scale is None:
                row.fail(column, exc.code, value=_text(raw)[:40])
                continue
            ordinals = scale.by_label.get(_text(raw).lower(), set())
            if len(ordinals) == 1:
                values[column] = Decimal(next(iter(ordinals)))
            elif ordinals:
                row.fail(column, "ambiguous_level", value=_text(raw)[:40], levels=scale.listing())
            elif scale.labels:
                row.fail(column, "not_a_level", value=_text(raw)[:40], levels=scale.listing())
            else:
                row.fail(column, "no_levels")
    return values


def import_replan(checked: dict[str, Any], *, strategy: Strategy, rights: EntryRights, user: Any = None) -> ImportPlan:
    """Plan the save of rows checked earlier (``ImportPlan.stored``) against
    the data and the person's rights as they are now, without the file."""
    planner = _Planner(strategy=strategy, rights=rights, user=user, labels=checked.get("labels", {}))
    rows = checked.get("rows", [])
    planner.plan.rows = len(rows)
    for number, indicator_id, unit_id, year, target, actual in rows:
        values = {column: Decimal(raw) for column, raw in (("target", target), ("actual", actual)) if raw is not None}
        planner.add(number, indicator_id=indicator_id, unit_id=unit_id, year=year, values=values)
    return planner.plan


def import_apply(plan: ImportPlan, *, reason: str = "") -> dict[str, int]:
    """Write a plan without errors, all or nothing; return its summary.

    Changed values raise their row's ``version`` as a grid save does, and
    when targets and measurements keep a history (django-simple-history),
    each written value gets a history row naming the importing person and
    ``reason``. The number of queries does not grow with the number of rows
    (up to 10,000 rows or indicators a statement).
    """
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    now = plan.entered_at or timezone.now()
    measured = {"entered_by_id": plan.user_id, "entered_at": now}
    with transaction.atomic():
        _insert(Measurement, plan.new_measurements, source_note="", **measured)
        _update(Measurement, plan.changed_measurements, **measured)
        _insert(Target, plan.new_targets)
        _update(Target, plan.changed_targets)
        if hasattr(Measurement, "history") and hasattr(Target, "history"):
            history = {"history_date": now, "history_change_reason": reason[:100] or None, "history_user_id": plan.user_id}
            _write_history(Measurement, new=plan.new_measurements, changed=plan.changed_measurements, **history)
            _write_history(Target, new=plan.new_targets, changed=plan.changed_targets, **history)
    return plan.summary


def _id_batch() -> int:
    """Ids per ``IN (…)`` list: as many as the backend takes in one statement
    (SQLite's limit is set when it is built) with room for a few more
    parameters, at most 10,000."""
    return min(connection.features.max_query_params or 10_000, 10_000) - 10


def _update(model: type[Measurement] | type[Target], rows: list[tuple[int, Decimal]], **same: Any) -> None:
    """Write changed values, given as (id, value) pairs, with one prepared
    statement (``executemany``); ``same``: the columns every row shares.

    Each row's optimistic lock moves on, as in a grid save: a grid form
    opened before the import carries the old version and is refused. The
    version is raised in the database (``version + 1``), so a save that got
    in between counts too. ``bulk_update`` built a ``CASE`` of every row for
    each column, which for 10,000 changed values took seconds.
    """
    if not rows:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    ops = connection.ops
    value_field, version = by_attname["value"], ops.quote_name(by_attname["version"].column)
    shared = tuple(by_attname[name].get_db_prep_save(value, connection) for name, value in same.items())
    assignments = [f"{ops.quote_name(by_attname[name].column)} = %s" for name in ("value", *same)]
    sql = (
        f"UPDATE {ops.quote_name(model._meta.db_table)} SET {', '.join(assignments)}, {version} = {version} + 1 "
        f"WHERE {ops.quote_name(model._meta.pk.column)} = %s"
    )
    adapt = ops.adapt_decimalfield_value
    digits, places = value_field.max_digits, value_field.decimal_places
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(sql, [(adapt(value, digits, places), *shared, pk) for pk, value in batch])


def _write_history(
    model: type[Measurement] | type[Target],
    *,
    new: list[tuple[int, int | None, int, Decimal]],
    changed: list[tuple[int, Decimal]],
    **meta: Any,
) -> None:
    """A history row for every value just written ("+" new, "~" changed), as
    django-simple-history's bulk helpers write them, naming the importing
    person and the reason (``meta``).

    The database copies each row as it now has it into the history table
    (``INSERT … SELECT``), so no value makes the round trip through Python:
    the helpers build two model instances per value, and even reading the
    rows back and inserting them again cost more for a 10,000-row file than
    reading the file (``bench/import_bench.py``). Only the ids of the new
    rows are read, by the indicators they belong to.
    """
    keys = {(indicator_id, unit_id, year) for indicator_id, unit_id, year, _value in new}
    indicator_ids = sorted({key[0] for key in keys})
    new_ids: list[int] = []
    size = _id_batch()
    for start in range(0, len(indicator_ids), size):
        written = model.objects.filter(indicator_id__in=indicator_ids[start : start + size]).order_by()
        new_ids += [pk for pk, *key in written.values_list("pk", "indicator_id", "unit_id", "year") if tuple(key) in keys]
    history = model.history.model  # type: ignore[attr-defined]
    by_attname = {f.attname: f for f in history._meta.concrete_fields}
    ops = connection.ops
    tracked = model._meta.concrete_fields
    targets = [by_attname[f.attname].column for f in tracked] + [by_attname[name].column for name in ("history_type", *meta)]
    sources = ", ".join(ops.quote_name(f.column) for f in tracked)
    extra = [by_attname[name].get_db_prep_save(value, connection) for name, value in meta.items()]
    sql = (
        f"INSERT INTO {ops.quote_name(history._meta.db_table)} ({', '.join(map(ops.quote_name, targets))}) "
        f"SELECT {sources}, {', '.join(['%s'] * (1 + len(extra)))} FROM {ops.quote_name(model._meta.db_table)} "
        f"WHERE {ops.quote_name(model._meta.pk.column)} IN "
    )
    with connection.cursor() as cursor:
        for kind, ids in (("~", [pk for pk, _value in changed]), ("+", new_ids)):
            for start in range(0, len(ids), size):
                batch = ids[start : start + size]
                cursor.execute(f"{sql}({', '.join(['%s'] * len(batch))})", [kind, *extra, *batch])


_NEW_ROW_COLUMNS = ("indicator_id", "unit_id", "year", "value")


def _insert(model: type[Measurement] | type[Target], rows: list[tuple[int, int | None, int, Decimal]], **same: Any) -> None:
    """Insert new rows, given as (indicator_id, unit_id, year, value) tuples,
    with one prepared statement (``executemany``); ``same``: the columns that
    every row shares (who entered the values and when), adapted once.

    ``bulk_create`` spends most of its time compiling SQL for each model
    instance; for 10,000-row files that alone exceeded openpyxl's read time.
    Values go through the backend's own adapters, and the database's
    constraints and triggers still check every row.
    """
    if not rows:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    ops = connection.ops
    value_field = by_attname["value"]
    shared = tuple(by_attname[name].get_db_prep_save(value, connection) for name, value in same.items())
    columns = ", ".join(ops.quote_name(by_attname[name].column) for name in (*_NEW_ROW_COLUMNS, *same))
    placeholders = ", ".join(["%s"] * (len(_NEW_ROW_COLUMNS) + len(same)))
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    adapt = ops.adapt_decimalfield_value
    digits, places = value_field.max_digits, value_field.decimal_places
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(sql, [(i, u, y, adapt(v, digits, places), *shared) for i, u, y, v in batch])
