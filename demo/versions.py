"""Version 1 of each approved seed strategy: what the seed says was approved,
frozen like an approval in Suunta freezes it, so that readers outside the
owning organisation see the approved version and owners see changes since."""

from __future__ import annotations

from strategy.models import Strategy, StrategyVersion
from strategy.versions import strategy_snapshot

from .base import Loader


def load(loader: Loader) -> None:
    """Freeze version 1 of every approved seed that has no version yet.

    Runs last, once the parts and the indicators exist. A strategy with a
    version keeps it: a later run never writes a new one, and edits made in
    the demo since show as changes since approval."""
    for slug, strategy in loader.strategies.items():
        approval = loader.approvals.get(slug)
        if approval is None or strategy.status != Strategy.Status.APPROVED:
            continue
        if StrategyVersion.objects.filter(strategy=strategy).exists():
            continue
        StrategyVersion.objects.create(
            strategy=strategy,
            number=1,
            approved_on=approval.on,
            decision_body=approval.bodies(),
            decision_reference=approval.reference,
            note=approval.note,
            snapshot=strategy_snapshot(strategy),
        )
        loader.created[str(StrategyVersion._meta.verbose_name_plural)] += 1
