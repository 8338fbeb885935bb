"""Reading numbers the way Finns and Swedes write them, and writing them back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

# Spaces people and spreadsheets put between thousands: ordinary, no-break,
# narrow no-break, thin, and the apostrophe some Swiss-formatted files use.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
STORED_PLACES = Decimal("0.000001")  # the model's decimal_places=6
LIMIT = Decimal("1e12")  # the model's max_digits=18 with 6 decimal places


class NumberError(ValueError):
    """The text is not a number; ``code`` says why (see ``importing.MESSAGES``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_decimal(text: object) -> Decimal:
    """A Decimal from user or spreadsheet input.

    Accepts ``1 234,5`` (spaces or no-break spaces between thousands, decimal
    comma), ``1234.5``, ``1.234,5`` and ``1,234.5`` (the last separator is the
    decimal one when both appear), a Unicode minus sign and a trailing
    ``%``. Numbers from spreadsheet cells (int, float, Decimal) pass through.
    Raises ``NumberError`` with code ``not_a_number`` or ``too_large``.
    """
    if isinstance(text, bool):
        raise NumberError("not_a_number")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    else:
        raw = _GROUPING.sub("", str(text)).replace("\u2212", "-").removesuffix("%")
        if "," in raw and "." in raw:
            decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            raw = raw.replace(thousands, "").replace(decimal_mark, ".")
        elif raw.count(",") == 1:
            raw = raw.replace(",", ".")
        if raw.startswith("+"):
            raw = raw[1:]
        if not _NUMBER.match(raw):
            raise NumberError("not_a_number")
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - the pattern rules this out
            raise NumberError("not_a_number") from exc
    if not value.is_finite():
        raise NumberError("not_a_number")
    if abs(value) >= LIMIT:
        raise NumberError("too_large")
    return value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def format_value(value: Decimal | None, *, decimals: int, percentage: bool = False) -> str:
    """A value in the active language's format (``1 234,5`` in Finnish)."""
    if value is None:
        return ""
    text = number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0%" if percentage else text


def level_display(labels: Mapping[int, str], value: Decimal | float | None) -> str:
    """A qualitative indicator's stored ordinal as people read it: its level's
    label, or, for an ordinal whose level was removed, the number itself (never
    hidden). The pages (``indicator_value_display``) and the council report
    (which reads the labels from its snapshot) both show levels through this."""
    if value is None:
        return ""
    number = Decimal(str(value))
    label = labels.get(int(number))
    return label if label is not None else format_value(number, decimals=0)


def input_value(value: Decimal | None) -> str:
    """A value for an input box: localised, every stored digit kept (saving the
    box unchanged must not round the value), no thousands grouping."""
    if value is None:
        return ""
    plain = Decimal(format(value.normalize(), "f"))
    return number_format(plain, use_l10n=True, force_grouping=False)
