"""Maturity workflows and the data behind the maturity pages, by what they do:

- ``maturity.figures``: the rule for a unit's value (agreed level, else the
  median of enough answers) and levels in words;
- ``maturity.heatmap``: units by dimensions for a year (``heatmap_build``);
- ``maturity.rounds``: opening, following and closing a round, invitations;
- ``maturity.assessment``: a person's self-assessment;
- ``maturity.agreement``: the unit's agreed levels;
- ``maturity.results``: a unit's result, its history and the round export;
- ``maturity.editing``: target levels and copying a model.

The ``*_build`` functions return plain data (dicts, lists, numbers and
strings in the active language) so that the web pages, the exports and the
PDF report (``reports``) share one source of truth. They never return
another person's individual answer unless the caller asks for it
explicitly (``with_names``), and they hide every distribution of fewer
answers than the round's ``min_respondents``.

This module gathers their names, so that callers import from one place.
"""

from __future__ import annotations

from .agreement import agreed_levels_record
from .assessment import AlreadyAssessed, RoundClosed, self_assessment_save
from .editing import maturity_model_copy, target_level_set
from .figures import LevelData, level_label
from .heatmap import HeatCell, HeatDimension, Heatmap, HeatRow, heatmap_build
from .results import round_export_rows, unit_history_build, unit_result_build
from .rounds import (
    UnitProgress,
    recipient_language,
    round_close,
    round_invitations_send,
    round_invitees,
    round_open,
    round_progress,
)

__all__ = [
    "AlreadyAssessed",
    "HeatCell",
    "HeatDimension",
    "HeatRow",
    "Heatmap",
    "LevelData",
    "RoundClosed",
    "UnitProgress",
    "agreed_levels_record",
    "heatmap_build",
    "level_label",
    "maturity_model_copy",
    "recipient_language",
    "round_close",
    "round_export_rows",
    "round_invitations_send",
    "round_invitees",
    "round_open",
    "round_progress",
    "self_assessment_save",
    "target_level_set",
    "unit_history_build",
    "unit_result_build",
]
