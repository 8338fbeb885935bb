"""The on-track rule: every direction and the edge cases of the issue."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from indicators.status import (
    Status,
    combine,
    judge,
    judge_levels,
    judge_series,
    latest,
    target_path,
)

INC, DEC, KEEP = "increase", "decrease", "maintain"


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "expected"),
    [
        (D(100), D(200), D(200), Status.ACHIEVED),  # exactly on target
        (D(100), D(200), D(250), Status.ACHIEVED),  # beyond it
        (D(100), D(200), D(150), Status.ON_TRACK),  # half way
        (D(100), D(200), D(149), Status.OFF_TRACK),  # less than half way
        (D(100), D(200), D(90), Status.OFF_TRACK),  # worse than the baseline
        (D(100), D(200), None, Status.NO_DATA),  # not measured
    ],
)
def test_increase(baseline: D, target: D, actual: D | None, expected: Status) -> None:
    assert judge(direction=INC, baseline=baseline, target=target, actual=actual) == expected


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "expected"),
    [
        (D(50), D(30), D(30), Status.ACHIEVED),
        (D(50), D(30), D(20), Status.ACHIEVED),
        (D(50), D(30), D(40), Status.ON_TRACK),
        (D(50), D(30), D(41), Status.OFF_TRACK),
        (D(50), D(30), D(55), Status.OFF_TRACK),
        (D(50), D(30), None, Status.NO_DATA),
    ],
)
def test_decrease_mirrors_increase(baseline: D, target: D, actual: D | None, expected: Status) -> None:
    assert judge(direction=DEC, baseline=baseline, target=target, actual=actual) == expected


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "expected"),
    [
        (D(80), D(80), D(80), Status.ACHIEVED),
        (D(80), D(80), D(83), Status.ACHIEVED),  # inside the 5 % band
        (D(80), D(80), D(77), Status.ACHIEVED),
        (D(80), D(80), D(90), Status.OFF_TRACK),  # too high is also off for "maintain"
        (D(80), D(80), D(70), Status.OFF_TRACK),
        (D(80), None, D(81), Status.ACHIEVED),  # no target: hold the baseline
        (None, D(80), D(81), Status.ACHIEVED),  # no baseline: hold the target
        (None, None, D(81), Status.NO_DATA),
        (D(80), D(80), None, Status.NO_DATA),
    ],
)
def test_maintain_uses_a_tolerance_band(baseline: D | None, target: D | None, actual: D | None, expected: Status) -> None:
    assert judge(direction=KEEP, baseline=baseline, target=target, actual=actual) == expected


def test_no_baseline_judges_against_the_target_with_tolerance() -> None:
    assert judge(direction=INC, baseline=None, target=D(1000), actual=D(1000)) == Status.ACHIEVED
    assert judge(direction=INC, baseline=None, target=D(1000), actual=D(960)) == Status.ON_TRACK
    assert judge(direction=INC, baseline=None, target=D(1000), actual=D(900)) == Status.OFF_TRACK
    assert judge(direction=DEC, baseline=None, target=D(1000), actual=D(1040)) == Status.ON_TRACK
    assert judge(direction=DEC, baseline=None, target=D(1000), actual=D(1100)) == Status.OFF_TRACK


def test_target_equal_to_baseline_means_do_not_fall() -> None:
    # No way to cover between baseline and target: no division by zero, the band decides.
    assert judge(direction=INC, baseline=D(100), target=D(100), actual=D(100)) == Status.ACHIEVED
    assert judge(direction=INC, baseline=D(100), target=D(100), actual=D(97)) == Status.ON_TRACK
    assert judge(direction=INC, baseline=D(100), target=D(100), actual=D(80)) == Status.OFF_TRACK
    assert judge(direction=DEC, baseline=D(100), target=D(100), actual=D(120)) == Status.OFF_TRACK


def test_target_on_the_wrong_side_of_the_baseline_falls_back_to_the_band() -> None:
    assert judge(direction=INC, baseline=D(100), target=D(90), actual=D(95)) == Status.ACHIEVED
    assert judge(direction=INC, baseline=D(100), target=D(90), actual=D(87)) == Status.ON_TRACK
    assert judge(direction=INC, baseline=D(100), target=D(90), actual=D(50)) == Status.OFF_TRACK


def test_no_target_judges_the_direction_of_movement_from_the_baseline() -> None:
    assert judge(direction=INC, baseline=D(100), target=None, actual=D(101)) == Status.ON_TRACK
    assert judge(direction=INC, baseline=D(100), target=None, actual=D(100)) == Status.OFF_TRACK
    assert judge(direction=DEC, baseline=D(100), target=None, actual=D(99)) == Status.ON_TRACK
    assert judge(direction=DEC, baseline=D(100), target=None, actual=D(101)) == Status.OFF_TRACK


def test_neither_target_nor_baseline_is_no_data() -> None:
    assert judge(direction=INC, baseline=None, target=None, actual=D(5)) == Status.NO_DATA
    assert judge(direction=DEC, baseline=None, target=None, actual=D(5)) == Status.NO_DATA


def test_zero_reference_band_is_exact() -> None:
    assert judge(direction=KEEP, baseline=None, target=D(0), actual=D(0)) == Status.ACHIEVED
    assert judge(direction=KEEP, baseline=None, target=D(0), actual=D("0.1")) == Status.OFF_TRACK


def test_target_path_interpolates_between_baseline_and_targets_and_holds_the_last() -> None:
    path = target_path(years=range(2021, 2028), targets={2023: D(300), 2025: D(500)}, baseline_year=2021, baseline=D(100))
    assert path == {2021: D(100), 2022: D(200), 2023: D(300), 2024: D(400), 2025: D(500), 2026: D(500), 2027: D(500)}


def test_target_path_without_baseline_is_empty_before_the_first_target() -> None:
    path = target_path(years=range(2022, 2025), targets={2023: D(10)})
    assert path == {2022: None, 2023: D(10), 2024: D(10)}


def test_baseline_alone_makes_no_target_path() -> None:
    path = target_path(years=range(2022, 2024), targets={}, baseline_year=2021, baseline=D(100))
    assert path == {2022: None, 2023: None}


def test_missing_years_use_the_latest_earlier_value() -> None:
    assert latest({2022: D(1), 2024: D(3)}, year=2026) == (2024, D(3))
    assert latest({2022: D(1), 2024: D(3)}, year=2023) == (2022, D(1))
    assert latest({2025: D(1)}, year=2023) is None


def test_judge_series_compares_the_latest_value_with_its_own_years_target() -> None:
    # 2025 not measured yet: the 2024 value is judged against the 2024 target, not 2025's.
    status = judge_series(
        direction=INC,
        year=2025,
        actuals={2022: D(100), 2024: D(290)},
        targets={2024: D(300), 2025: D(1000)},
        years=range(2022, 2028),
        baseline_year=2021,
        baseline=D(100),
    )
    assert status == Status.ON_TRACK  # 190 of the 200 from baseline to the 2024 target
    assert judge_series(direction=INC, year=2025, actuals={}, targets={2025: D(1)}, years=range(2022, 2028)) == Status.NO_DATA


def test_judge_series_uses_interpolated_target_for_a_year_without_one() -> None:
    status = judge_series(
        direction=INC,
        year=2023,
        actuals={2023: D(150)},
        targets={2025: D(300)},
        years=range(2022, 2028),
        baseline_year=2021,
        baseline=D(100),
    )
    # 2023 target on the path is 200; 150 is half way from 100 → on track.
    assert status == Status.ON_TRACK


def test_a_unit_without_values_does_not_drag_the_others_down() -> None:
    assert combine([Status.ACHIEVED, Status.NO_DATA]) == Status.ACHIEVED
    assert combine([Status.ACHIEVED, Status.ON_TRACK, Status.NO_DATA]) == Status.ON_TRACK
    assert combine([Status.ACHIEVED, Status.OFF_TRACK]) == Status.OFF_TRACK
    assert combine([Status.NO_DATA, Status.NO_DATA]) == Status.NO_DATA
    assert combine([]) == Status.NO_DATA


# Qualitative indicators: ordinals of a scale such as 0 not started, 1 in progress, 2 completed.
NOT_STARTED, IN_PROGRESS, COMPLETED = D(0), D(1), D(2)


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "previous", "expected"),
    [
        (INC, NOT_STARTED, COMPLETED, COMPLETED, None, Status.ACHIEVED),  # reached the target level
        (INC, None, IN_PROGRESS, COMPLETED, None, Status.ACHIEVED),  # beyond it
        (INC, NOT_STARTED, COMPLETED, IN_PROGRESS, None, Status.ON_TRACK),  # below the target, above the baseline
        (INC, None, COMPLETED, IN_PROGRESS, NOT_STARTED, Status.ON_TRACK),  # moved up since the year before
        (INC, None, COMPLETED, IN_PROGRESS, IN_PROGRESS, Status.OFF_TRACK),  # standing still
        (INC, IN_PROGRESS, COMPLETED, IN_PROGRESS, None, Status.OFF_TRACK),  # no better than the baseline
        (INC, IN_PROGRESS, COMPLETED, NOT_STARTED, IN_PROGRESS, Status.OFF_TRACK),  # fell back
        (INC, NOT_STARTED, None, IN_PROGRESS, None, Status.ON_TRACK),  # no target: above the baseline
        (INC, IN_PROGRESS, None, IN_PROGRESS, None, Status.OFF_TRACK),  # no target: not above it
        (INC, None, None, IN_PROGRESS, NOT_STARTED, Status.NO_DATA),  # nothing to compare with
        (INC, NOT_STARTED, COMPLETED, None, None, Status.NO_DATA),  # not measured
        # "Low / medium / high" with fewer incidents as the aim: decrease mirrors increase.
        (DEC, D(2), D(0), D(0), None, Status.ACHIEVED),
        (DEC, D(2), D(0), D(1), None, Status.ON_TRACK),
        (DEC, None, D(0), D(1), D(2), Status.ON_TRACK),
        (DEC, D(1), D(0), D(2), None, Status.OFF_TRACK),
        (DEC, D(1), None, D(0), None, Status.ON_TRACK),
        # Maintain: exactly the reference level, no tolerance band.
        (KEEP, D(2), D(2), D(2), None, Status.ACHIEVED),
        (KEEP, D(2), D(2), D(1), None, Status.OFF_TRACK),
        (KEEP, D(1), None, D(1), None, Status.ACHIEVED),
        (KEEP, None, None, D(1), None, Status.NO_DATA),
    ],
)
def test_qualitative_levels_are_compared_by_ordinal(
    direction: str, baseline: D | None, target: D | None, actual: D | None, previous: D | None, expected: Status
) -> None:
    assert (
        judge_levels(direction=direction, baseline=baseline, target=target, actual=actual, previous=previous) == expected
    )


def test_qualitative_target_path_takes_the_next_target_and_holds_the_last() -> None:
    path = target_path(years=range(2022, 2028), targets={2024: IN_PROGRESS, 2026: COMPLETED}, steps=True)
    assert path == {
        2022: IN_PROGRESS,
        2023: IN_PROGRESS,
        2024: IN_PROGRESS,
        2025: COMPLETED,
        2026: COMPLETED,
        2027: COMPLETED,
    }
    assert target_path(years=[2022], targets={}, baseline=D(0), baseline_year=2021, steps=True) == {2022: None}


def test_qualitative_series_in_progress_before_a_completed_target_is_on_track() -> None:
    status = judge_series(
        direction=INC,
        year=2026,
        actuals={2025: IN_PROGRESS},
        targets={2026: COMPLETED},
        years=range(2022, 2028),
        qualitative=True,
    )
    # No baseline and no earlier level: nothing shows movement yet.
    assert status == Status.OFF_TRACK
    moved = judge_series(
        direction=INC,
        year=2026,
        actuals={2024: NOT_STARTED, 2025: IN_PROGRESS},
        targets={2026: COMPLETED},
        years=range(2022, 2028),
        qualitative=True,
    )
    assert moved == Status.ON_TRACK
    done = judge_series(
        direction=INC, year=2026, actuals={2026: COMPLETED}, targets={2026: COMPLETED}, years=range(2022, 2028), qualitative=True
    )
    assert done == Status.ACHIEVED
