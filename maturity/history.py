"""What changed in a unit's agreed levels, from the history that
django-simple-history keeps (``AgreedLevel.history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from strategy.models import Organisation

from .models import AgreedLevel, AssessmentRound


@dataclass(frozen=True)
class AgreedLevelChange:
    """One change of an agreed level: ``old`` is None when the level was
    agreed for the first time, ``new`` is None when it was cleared."""

    at: datetime
    user: Any
    dimension: Any
    old: Any
    new: Any


def agreed_level_changes(*, round_: AssessmentRound, unit: Organisation) -> list[AgreedLevelChange]:
    """The unit's agreed-level changes in the round, newest first (one query).
    Saves that kept the level (a changed note only) are left out."""
    records = list(
        AgreedLevel.history.filter(round_id=round_.pk, unit_id=unit.pk)  # type: ignore[attr-defined]
        .select_related("history_user", "dimension", "level")
        .order_by("id", "history_date", "history_id")
    )
    changes = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "-":
            old, new = record.level, None
        else:
            old, new = (before.level if before is not None else None), record.level
            if before is not None and before.level_id == record.level_id:
                continue
        changes.append(AgreedLevelChange(at=record.history_date, user=record.history_user, dimension=record.dimension, old=old, new=new))
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes
