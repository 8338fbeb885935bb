"""Is an indicator on track? One rule, in one place.

Everything here is plain Python on values that are already loaded, so list
pages can judge hundreds of indicators without a query each.

The rule (``judge``) for one year, given the desired direction, the baseline,
the target for that year and the measured (actual) value:

* **no data**: there is no actual value; or there is neither a target nor a
  baseline to compare it with.
* **increase** (decrease mirrors it, with the comparisons reversed):

  - actual ≥ target → **achieved**;
  - with a baseline the target lies above: the share of the way from the
    baseline to the target that the actual value has covered is at least
    ``on_track_share`` (one half) → **on track**, otherwise **off track**;
  - without a usable baseline (none, equal to the target, or on the far side
    of it): actual within ``tolerance`` (5 %) of the target → **on track**,
    otherwise **off track**;
  - without a target: actual above the baseline → **on track** (moving the
    right way), otherwise **off track**. Nothing is "achieved" without a target.

* **maintain**: the reference is the target, or the baseline when there is no
  target. Actual within ``tolerance`` of the reference → **achieved**,
  otherwise **off track**.

Targets are set per year, so "the target for the year" already carries the
expected pace; ``target_path`` fills years without an explicit target by
linear interpolation between the baseline and the explicit targets.

**Which value against which target.** Pages judge "as of" a year (this
year, kept inside the strategy period). The value judged is the latest one
measured at or before that year, and it is judged against the target of
*the year it was measured in* (``judge_latest``), never against a later
year's target, which it had no chance to meet yet. So when the latest value
is older than the latest target (the 2025 value is in, the 2026 one is not),
the 2025 value is judged against the 2025 target, and pages say so: the
badge names the year and the target it was judged on ("Achieved — 2025
target 9 900"), and the target of the year the page judges as of is shown
separately as the **next target** (``Judgement.next_target``). A value
judged against the baseline (no target for its year) says that instead, and
an indicator kept only per unit shows the worst unit's status (``combine``)
as such ("Off track — worst of 2 units").

**Qualitative indicators** (``judge_levels``) store the ordinal of a level of
their scale (0 = the lowest: not started, low). Ordinals are compared, never
subtracted, and no shares or tolerances apply:

* **no data**: there is no actual level; or there is neither a target nor a
  baseline to compare it with.
* **increase** (decrease mirrors it):

  - actual ≥ target → **achieved**;
  - actual below the target but above the baseline, or above the level
    measured the year before → **on track** (moving the right way),
    otherwise **off track**;
  - without a target: actual above the baseline → **on track**, otherwise
    **off track**.

* **maintain**: actual equal to the reference (the target, or the baseline
  without a target) → **achieved**, otherwise **off track**.

Levels cannot be interpolated, so the target of a year without one of its own
is the next target set for a later year (the level to reach by then), and
after the last target that target holds (``target_path(..., steps=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from strategy.models import Direction

DEFAULT_TOLERANCE = Decimal("0.05")
DEFAULT_ON_TRACK_SHARE = Decimal("0.5")


class Status(models.TextChoices):
    """The judgement of an indicator for a year; the values double as CSS badge modifiers."""

    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


# Worst first: combining several units' statuses reports the worst one.
_SEVERITY = {Status.OFF_TRACK: 0, Status.ON_TRACK: 1, Status.ACHIEVED: 2}


def _within(actual: Decimal, reference: Decimal, tolerance: Decimal) -> bool:
    return abs(actual - reference) <= abs(reference) * tolerance


def judge(
    *,
    direction: str,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    on_track_share: Decimal = DEFAULT_ON_TRACK_SHARE,
) -> Status:
    """Judge one actual value against its year's target and the baseline.

    See the module docstring for the rule. ``tolerance`` is a share of the
    reference value (0.05 = 5 %); ``on_track_share`` is the share of the way
    from baseline to target that counts as on track.
    """
    if actual is None:
        return Status.NO_DATA
    if direction == Direction.MAINTAIN:
        reference = target if target is not None else baseline
        if reference is None:
            return Status.NO_DATA
        return Status.ACHIEVED if _within(actual, reference, tolerance) else Status.OFF_TRACK

    # Mirror a decrease into an increase so that one set of comparisons serves both.
    sign = Decimal(-1) if direction == Direction.DECREASE else Decimal(1)
    actual_s = actual * sign
    baseline_s = baseline * sign if baseline is not None else None
    target_s = target * sign if target is not None else None

    if target_s is None:
        if baseline_s is None:
            return Status.NO_DATA
        return Status.ON_TRACK if actual_s > baseline_s else Status.OFF_TRACK
    if actual_s >= target_s:
        return Status.ACHIEVED
    if baseline_s is not None and target_s > baseline_s:
        share = (actual_s - baseline_s) / (target_s - baseline_s)
        return Status.ON_TRACK if share >= on_track_share else Status.OFF_TRACK
    return Status.ON_TRACK if _within(actual, target, tolerance) else Status.OFF_TRACK


def judge_levels(
    *,
    direction: str,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    previous: Decimal | None = None,
) -> Status:
    """Judge one level of a qualitative indicator: ordinals compared as in the
    module docstring. ``previous`` is the level measured before ``actual``."""
    if actual is None:
        return Status.NO_DATA
    if direction == Direction.MAINTAIN:
        reference = target if target is not None else baseline
        if reference is None:
            return Status.NO_DATA
        return Status.ACHIEVED if actual == reference else Status.OFF_TRACK

    def up(value: Decimal | None) -> Decimal | None:
        # Mirrors a decrease into an increase, as ``judge`` does.
        if value is None:
            return None
        return -value if direction == Direction.DECREASE else value

    actual_s, baseline_s, target_s, previous_s = up(actual), up(baseline), up(target), up(previous)
    assert actual_s is not None
    if target_s is None:
        if baseline_s is None:
            return Status.NO_DATA
        return Status.ON_TRACK if actual_s > baseline_s else Status.OFF_TRACK
    if actual_s >= target_s:
        return Status.ACHIEVED
    moved_up = (baseline_s is not None and actual_s > baseline_s) or (previous_s is not None and actual_s > previous_s)
    return Status.ON_TRACK if moved_up else Status.OFF_TRACK


def combine(statuses: Iterable[Status]) -> Status:
    """One status for several units: the worst of those with data; a unit
    without values does not pull the others down."""
    judged = [status for status in statuses if status != Status.NO_DATA]
    if not judged:
        return Status.NO_DATA
    return min(judged, key=lambda status: _SEVERITY[status])


def target_path(
    *,
    years: Iterable[int],
    targets: Mapping[int, Decimal],
    baseline_year: int | None = None,
    baseline: Decimal | None = None,
    steps: bool = False,
) -> dict[int, Decimal | None]:
    """The target for every year: explicit targets, straight lines between
    them (starting from the baseline when there is one), the last target held
    after it, and nothing before the first known point.

    With ``steps`` (levels of a qualitative scale) there are no lines: a year
    without a target gets the next target set after it, and the years after
    the last target keep that one."""
    if steps:
        known_years = sorted(targets)
        stepped: dict[int, Decimal | None] = {}
        for year in years:
            ahead = [y for y in known_years if y >= year]
            if ahead:
                stepped[year] = targets[ahead[0]]
            else:
                stepped[year] = targets[known_years[-1]] if known_years else None
        return stepped
    points = dict(targets)
    # Without any target there is no path: the baseline alone is not a target.
    if points and baseline is not None and baseline_year is not None and baseline_year not in points:
        points[baseline_year] = baseline
    known = sorted(points)
    path: dict[int, Decimal | None] = {}
    for year in years:
        if year in points:
            path[year] = points[year]
            continue
        before = [y for y in known if y < year]
        after = [y for y in known if y > year]
        if not before:
            path[year] = None
        elif not after:
            path[year] = points[before[-1]]
        else:
            y0, y1 = before[-1], after[0]
            v0, v1 = points[y0], points[y1]
            path[year] = v0 + (v1 - v0) * Decimal(year - y0) / Decimal(y1 - y0)
    return path


def latest(values: Mapping[int, Decimal], *, year: int) -> tuple[int, Decimal] | None:
    """The most recent (year, value) at or before ``year``; missing years are skipped."""
    years = [y for y in values if y <= year]
    if not years:
        return None
    last = max(years)
    return last, values[last]


@dataclass(frozen=True)
class Judgement:
    """A status and what it was judged on: the value of ``year`` against
    ``target`` (the target path of that year), or against ``baseline`` when
    that year has no target. ``next_year``/``next_target`` are the target of
    the year judged as of, when that is later than ``year`` (see the module
    docstring); they are None when the value is of that year already."""

    status: Status
    year: int | None = None
    actual: Decimal | None = None
    target: Decimal | None = None
    baseline: Decimal | None = None
    next_year: int | None = None
    next_target: Decimal | None = None

    @property
    def against(self) -> str:
        """What the value was compared with: "target", "baseline" or "" (no data)."""
        if self.status == Status.NO_DATA or self.year is None:
            return ""
        if self.target is not None:
            return "target"
        return "baseline" if self.baseline is not None else ""


def judge_latest(
    *,
    direction: str,
    year: int,
    actuals: Mapping[int, Decimal],
    targets: Mapping[int, Decimal],
    years: Iterable[int],
    baseline_year: int | None = None,
    baseline: Decimal | None = None,
    qualitative: bool = False,
) -> Judgement:
    """Judge a series as of ``year``: the latest actual value at or before that
    year against the target path for the year it was measured in
    (``judge_levels`` for the levels of a ``qualitative`` indicator), with
    the year and target it was judged on, and the next target when the value
    is older than ``year``."""
    found = latest(actuals, year=year)
    if found is None:
        return Judgement(status=Status.NO_DATA)
    measured_year, actual = found
    path = target_path(
        years={*years, measured_year, year},
        targets=targets,
        baseline_year=baseline_year,
        baseline=baseline,
        steps=qualitative,
    )
    target = path[measured_year]
    if qualitative:
        before = latest(actuals, year=measured_year - 1)
        previous = before[1] if before is not None else None
        status = judge_levels(
            direction=direction, baseline=baseline, target=target, actual=actual, previous=previous
        )
    else:
        status = judge(direction=direction, baseline=baseline, target=target, actual=actual)
    newer = path.get(year) if measured_year < year else None
    return Judgement(
        status=status,
        year=measured_year,
        actual=actual,
        target=target,
        baseline=baseline,
        next_year=year if newer is not None else None,
        next_target=newer,
    )


def judge_series(
    *,
    direction: str,
    year: int,
    actuals: Mapping[int, Decimal],
    targets: Mapping[int, Decimal],
    years: Iterable[int],
    baseline_year: int | None = None,
    baseline: Decimal | None = None,
    qualitative: bool = False,
) -> Status:
    """The status of ``judge_latest`` alone."""
    return judge_latest(
        direction=direction,
        year=year,
        actuals=actuals,
        targets=targets,
        years=years,
        baseline_year=baseline_year,
        baseline=baseline,
        qualitative=qualitative,
    ).status
