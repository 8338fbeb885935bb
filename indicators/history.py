"""What changed in an indicator's targets and measured values, from the
history that django-simple-history keeps (see ``Target.history`` and
``Measurement.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .models import Indicator, Measurement, Target

# The page lists the latest changes; the admin keeps all of them.
SHOWN_CHANGES = 100


@dataclass(frozen=True)
class ValueChange:
    """One change of a target or a measured value: ``old`` is None when it
    was set for the first time, ``new`` is None when it was removed."""

    at: datetime
    user: Any
    kind: str  # "target" or "actual"
    year: int
    unit: Any
    old: Decimal | None
    new: Decimal | None


def _changes(records: list[Any], kind: str) -> list[ValueChange]:
    """Each record against the previous record of the same row (records
    sorted by row and time); saves that left the value as it was are skipped."""
    changes = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "-":
            old, new = record.value, None
        else:
            old, new = (before.value if before is not None else None), record.value
            if old is not None and old == new:
                continue
        changes.append(
            ValueChange(
                at=record.history_date,
                user=record.history_user,
                kind=kind,
                year=record.year,
                unit=record.unit,
                old=old,
                new=new,
            )
        )
    return changes


def value_changes(indicator: Indicator, *, limit: int = SHOWN_CHANGES) -> tuple[list[ValueChange], bool]:
    """The latest ``limit`` changes of the indicator's targets and values,
    newest first, and whether older ones were left out (two queries)."""
    found: list[ValueChange] = []
    for model, kind in ((Target, "target"), (Measurement, "actual")):
        records = list(
            model.history.filter(indicator_id=indicator.pk)  # type: ignore[attr-defined]
            .select_related("history_user", "unit")
            .order_by("id", "history_date", "history_id")
        )
        found += _changes(records, kind)
    found.sort(key=lambda change: change.at, reverse=True)
    return found[:limit], len(found) > limit
