
"""Loads the demo data: ``python manage.py load_demo`` runs ``demo_load``.

Each seed has its own module; ``demo_load`` runs them in dependency order inside
one transaction. Every row is keyed on something stable (a slug, a number,
a year), so running it again changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from maturity.models import AssessmentRound, TargetLevel
from reports.models import Report
from strategy import clock
from strategy.models import AnnualPlan, Strategy

from . import figures, heinola, helsinki, lahti, lappeenranta, personas, pietarsaari, sdgs, versions
from .base import Loader

STRATEGY_SLUGS = [
    pietarsaari.SLUG,
    lahti.SLUG,
    lappeenranta.SLUG,
    helsinki.SLUG,
    heinola.PARENT_SLUG,
    heinola.SLUG,
]


def demo_reset() -> int:
    """Delete the demo strategies and everything hanging on them.

    Rows that protect what they point at (a plan item its action, a rating
    its level, a report its strategy) go first."""
    strategies = Strategy.objects.filter(slug__in=STRATEGY_SLUGS)
    Report.objects.filter(strategy__in=strategies).delete()
    AnnualPlan.objects.filter(strategy__in=strategies).delete()
    AssessmentRound.objects.filter(model__strategy__in=strategies).delete()
    TargetLevel.objects.filter(dimension__model__strategy__in=strategies).delete()
    # Children first: a sub-strategy's parent link would otherwise be nulled, not deleted.
    count = 0
    for slug in reversed(STRATEGY_SLUGS):
        count += Strategy.objects.filter(slug=slug).delete()[0]
    return count


@transaction.atomic
def demo_load(*, reset: bool = False, today: datetime.date | None = None) -> Loader:
    """Load (or refresh) all demo data and return what was written.

    ``today`` anchors the generated figures (see ``figures``); by default
    ``clock.today()``. The clock stays fixed to that date while loading, so
    every date the demo writes agrees with its figures."""
    day = today or clock.today()
    with clock.fixed(day):
        if reset:
            demo_reset()
        loader = Loader()
        goals = sdgs.load(loader)
        pietarsaari.load(loader, goals)
        lahti.load(loader)
        lappeenranta.load(loader)
        helsinki.load(loader)
        heinola.load(loader)
        personas.load(loader)
        figures.load(loader, today=day)
        versions.load(loader)
    return loader
