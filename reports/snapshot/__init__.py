"""A report's snapshot: everything the report shows, frozen as plain JSON.

``report_snapshot_build`` gathers it section by section (``strategy``,
``plans``, ``indicators``, ``maturity``); the PDF is rendered from it alone,
so the same snapshot gives the same document years later. Every figure is
taken from the function the pages use for it: progress from ``Rollup``,
indicator statuses from ``indicators.services.indicator_summary``, maturity
from ``maturity.services.heatmap_build``. The renderer only formats.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.utils import timezone, translation

from strategy import clock
from strategy.models import Organisation, Strategy

from .common import LANGUAGE_CODES, Scope
from .indicators import indicators_section
from .maturity import maturity_section
from .plans import plans_section
from .strategy import (
    choices_section,
    goals_section,
    spearheads_section,
    stakeholders_section,
    strategy_header,
    texts_section,
    unit_entry,
)

__all__ = ["LANGUAGE_CODES", "SNAPSHOT_SCHEMA", "report_snapshot_build", "snapshot_digest"]

# 2: visions, values, sections, goals with objectives, spearheads,
# stakeholders, the decision, and actions without a focus area grouped by goal.
# 3: beside a text shown in another language than the report's (a missing
# translation), ``<key>_lang`` names the language it is in.
# 4: progress from ``Rollup`` (done = 100 %, cancelled left out) for each
# group, the whole (``progress``) and each unit (``unit_summary``);
# indicators judged by ``indicator_summary``, with each unit's own status
# (``units``) and, in a unit's report, the unit's own figures.
# Reports frozen with older schemas still render (see ``reports.pdf._upgrade``).
SNAPSHOT_SCHEMA = 4


def report_snapshot_build(
    *,
    strategy: Strategy,
    year: int,
    to_year: int | None,
    unit: Organisation | None,
    language: str,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """Gather everything the report shows into plain JSON.

    Texts are taken in ``language`` with the fi → sv → en fallback; labels of
    statuses are frozen in that language too. The number of queries does not
    depend on the amount of data. ``as_of`` (the day the data was frozen) is
    kept at day precision so that the same data gives the same document on
    the same day, whether ordered in the browser or rendered by hand.
    """
    years = list(range(year, (to_year or year) + 1))
    scope = Scope(years=years, unit=unit)
    as_of = timezone.localtime(as_of or clock.now())
    with translation.override(language):
        goals = goals_section(strategy, language)
        plans = plans_section(strategy, scope, language, goals["goal_names"])
        snapshot = {
            "schema": SNAPSHOT_SCHEMA,
            "language": language,
            "as_of": as_of.date().isoformat(),
            "year": year,
            "to_year": to_year if to_year and to_year != year else None,
            "years": years,
            **strategy_header(strategy, language),
            "unit": unit_entry(unit, language),
            **texts_section(strategy, language),
            "choices": choices_section(strategy, language),
            "perspectives": goals["perspectives"],
            "other_goals": goals["other_goals"],
            "spearheads": spearheads_section(strategy, language),
            "stakeholders": stakeholders_section(strategy, language),
            **plans,
            "indicators": indicators_section(strategy, scope, language),
            "maturity": maturity_section(strategy, scope, language),
        }
    # A JSON round trip proves the snapshot is plain data (and is what is stored).
    return json.loads(json.dumps(snapshot, ensure_ascii=False))


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    """A stable fingerprint of a snapshot (sorted keys, no whitespace)."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
