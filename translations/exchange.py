"""Texts to translate as files for translators, and their translations read back.

Two formats, each text named by its stable key (``strategy.focusarea.12.title``)
and carrying the digest of the source text it was exported with, so that an
import can refuse a translation of a source that changed since:

- XLSX, written through ``strategy.spreadsheets`` (no cell is ever a
  formula): a heading row, then the columns key, source digest, source,
  translation, status. Only the translation column is read back.
- XLIFF 2.0: one ``<unit id="key">`` per text with a ``<note
  category="suunta-source-digest">``, ``<source>``, ``<target>`` when there
  is one, and the segment's ``state`` (``initial`` for missing and outdated
  texts, ``final`` for those up to date). Read back with ``defusedxml``,
  which refuses entities and document types.

Reading happens in the worker only. The upload's size and, for XLSX, its
zip archive are checked in the web request first (``check_upload``), with
the limits of the indicator import (``SUUNTA_IMPORT_*`` settings).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import IO, Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.importing import MESSAGES as SPREADSHEET_MESSAGES
from indicators.importing import (
    ImportFileError,
    check_archive,
    extension_of,
    import_read,
    max_bytes,
    max_rows,
)
from strategy import spreadsheets
from strategy.models import Strategy

from .texts import CURRENT, MISSING, OUTDATED, Text

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
DIGEST_NOTE = "suunta-source-digest"
ALLOWED_EXTENSIONS = ("xlsx", "xlf", "xliff")

MESSAGES = {
    **SPREADSHEET_MESSAGES,
    "wrong_extension": gettext_lazy(
        "Only XLSX and XLIFF files (.xlsx, .xlf, .xliff) can be imported."
    ),
    "not_xliff": gettext_lazy(
        "The file is not an XLIFF 2.0 file that can be read. Export it again and try again."
    ),
    "no_key_column": gettext_lazy(
        "The file has no header row starting with “key”. Use a file exported from this page."
    ),
    "unreadable": gettext_lazy("The file could not be read. Export it again and try again."),
    "not_checked": gettext_lazy(
        "The file was not checked in time: the server's background worker did not reach it. "
        "Upload the file again."
    ),
}

REFUSALS = {
    "stale": gettext_lazy(
        "The source text changed after the file was exported: translate the new text."
    ),
    "unknown": gettext_lazy("This is not a text of this strategy."),
    "duplicate": gettext_lazy("The same text appears more than once in the file."),
    "changed": gettext_lazy("Someone changed this translation after the preview."),
}


def error_message(code: str, params: dict[str, Any] | None = None) -> str:
    return str(MESSAGES.get(code, MESSAGES["unreadable"])) % (params or {})


def _status_label(status: str) -> str:
    return {MISSING: _("missing"), OUTDATED: _("outdated"), CURRENT: _("up to date")}[status]


def export_table(strategy: Strategy, language: str, texts: Iterable[Text]) -> spreadsheets.Table:
    names = dict(settings.LANGUAGES)
    main = strategy.main_language
    return spreadsheets.Table(
        title=_("Translation"),
        preamble=[
            [
                _("%(strategy)s: texts to translate into %(language)s")
                % {"strategy": strategy.title, "language": names[language]}
            ]
        ],
        header=[
            "key",
            "source_digest",
            _("Source (%(language)s)") % {"language": names[main]},
            _("Translation (%(language)s)") % {"language": names[language]},
            _("Status"),
            _("What"),
        ],
        rows=[
            [t.key, t.source_digest, t.source, t.target, _status_label(t.status), t.label]
            for t in texts
        ],
        widths=[28, 12, 60, 60, 12, 30],
    )


def export_xliff(strategy: Strategy, language: str, texts: Iterable[Text]) -> bytes:
    root = Element(
        "xliff",
        {
            "xmlns": XLIFF_NS,
            "version": "2.0",
            "srcLang": strategy.main_language,
            "trgLang": language,
        },
    )
    file = SubElement(root, "file", {"id": strategy.slug})
    for text in texts:
        unit = SubElement(file, "unit", {"id": text.key, "name": text.label})
        notes = SubElement(unit, "notes")
        SubElement(notes, "note", {"category": DIGEST_NOTE}).text = text.source_digest
        segment = SubElement(
            unit, "segment", {"state": "final" if text.status == CURRENT else "initial"}
        )
        SubElement(segment, "source").text = text.source
        if text.target:
            SubElement(segment, "target").text = text.target
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


def check_upload(upload: Any) -> None:
    """Refuse a file by its name, size and (XLSX) zip directory before it is stored."""
    if extension_of(upload.name) not in ALLOWED_EXTENSIONS:
        raise ImportFileError("wrong_extension")
    if upload.size == 0:
        raise ImportFileError("empty_file")
    if upload.size > max_bytes():
        raise ImportFileError("file_too_large", limit=max_bytes() // (1024 * 1024))
    if extension_of(upload.name) == "xlsx":
        check_archive(upload)
        upload.seek(0)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # The export quotes a text that a spreadsheet would run (see spreadsheets.safe_text).
    if text.startswith(spreadsheets.QUOTE) and spreadsheets.is_dangerous(text[1:]):
        return text[1:]
    return text


def _xlsx_rows(handle: IO[bytes], name: str) -> list[tuple[str, str, str]]:
    rows, _declared = import_read(handle, name=name)
    found: list[tuple[str, str, str]] = []
    header = False
    for cells in rows:
        first = _cell(cells[0] if cells else None).strip()
        if not header:
            header = first.lower() == "key"
            continue
        if not first:
            continue
        padded = [*cells, None, None, None, None][:4]
        found.append((first, _cell(padded[1]).strip(), _cell(padded[3])))
    if not header:
        raise ImportFileError("no_key_column")
    return found


def _xliff_rows(handle: IO[bytes]) -> list[tuple[str, str, str]]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    try:
        root = parse(handle, forbid_dtd=True).getroot()
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise ImportFileError("not_xliff") from exc
    ns = {"x": XLIFF_NS}
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        raise ImportFileError("not_xliff")
    found: list[tuple[str, str, str]] = []
    for unit in root.iterfind("x:file/x:unit", ns):
        if len(found) >= max_rows():
            raise ImportFileError("too_many_rows", limit=max_rows())
        note = unit.find(f"x:notes/x:note[@category='{DIGEST_NOTE}']", ns)
        target = unit.find("x:segment/x:target", ns)
        found.append(
            (
                unit.get("id", ""),
                (note.text or "").strip() if note is not None else "",
                "".join(target.itertext()) if target is not None else "",
            )
        )
    return found


def read_rows(handle: IO[bytes], *, name: str) -> list[tuple[str, str, str]]:
    """(key, source digest at export, translation) of every text in the file."""
    if extension_of(name) == "xlsx":
        return _xlsx_rows(handle, name)
    if extension_of(name) in ("xlf", "xliff"):
        return _xliff_rows(io.BytesIO(handle.read(max_bytes() + 1)))
    raise ImportFileError("wrong_extension")
