"""The unit's agreed levels: what its head records after discussing the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from strategy.models import Organisation

from .assessment import set_history_user
from .models import AgreedLevel, AssessmentRound, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def agreed_levels_record(
    *,
    round_: AssessmentRound,
    unit: Organisation,
    choices: dict[int, tuple[Level | None, str]],
    user: AbstractBaseUser,
) -> None:
    """Record the unit's agreed level per dimension (dimension id → (level or
    None to clear, note)). All or nothing: a level of another model makes the
    database refuse the lot."""
    with transaction.atomic():
        existing = {
            agreed.dimension_id: agreed
            for agreed in AgreedLevel.objects.select_for_update().filter(round=round_, unit=unit, dimension_id__in=choices)
        }
        for dimension_id, (level, note) in choices.items():
            agreed = existing.get(dimension_id)
            if level is None:
                if agreed is not None:
                    set_history_user(agreed, user)
                    agreed.delete()
                continue
            if agreed is not None and agreed.level_id == level.pk and agreed.note == note:
                continue  # unchanged: no new history row for a form saved as it was
            agreed = agreed or AgreedLevel(round=round_, unit=unit, dimension_id=dimension_id)
            agreed.level = level
            agreed.note = note
            agreed.recorded_by = user
            set_history_user(agreed, user)
            agreed.save()
