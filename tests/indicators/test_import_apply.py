"""Saving an import: the number of queries does not grow with the rows, and
every value written gets its history row as the database holds it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from indicators.importing import ImportPlan, import_apply, import_validate
from indicators.models import Indicator, Measurement, Target, entry_rights

pytestmark = pytest.mark.django_db

INDICATORS = 12
# Queries of a save however many rows it writes: the savepoint and its release, and
# for each model one statement for the new rows (or the changed ones), and the
# history copied over, which for new rows needs their ids read back first.
NEW_QUERIES = 8
CHANGED_QUERIES = 6


@pytest.fixture
def indicators(world) -> list[Indicator]:  # type: ignore[no-untyped-def]
    return [Indicator.objects.create(strategy=world.strategy, name_fi=f"Mittari {n}") for n in range(INDICATORS)]


def _plan(world, indicators: list[Indicator], *, years: range, units: tuple[str, ...], shift: int = 0) -> ImportPlan:  # type: ignore[no-untyped-def]
    lines = ["indicator_id;unit;year;target;actual"]
    lines += [
        f"{indicator.pk};{unit};{year};{1000 + year + shift};{year / 4 + shift}"
        for indicator in indicators
        for unit in units
        for year in years
    ]
    plan = import_validate(
        io.BytesIO("\n".join(lines).encode()),
        name="arvot.csv",
        strategy=world.strategy,
        rights=entry_rights(user=world.owner, strategy=world.strategy),
        user=world.owner,
    )
    assert plan.ok, plan.errors[:3]
    return plan


@pytest.mark.parametrize(
    ("years", "units"),
    [(range(2024, 2025), ("kirjasto",)), (range(2022, 2028), ("kirjasto", "museo", ""))],
    ids=["12 rows", "216 rows"],
)
def test_queries_of_a_save_do_not_grow_with_its_rows(world, indicators, django_assert_max_num_queries, years, units) -> None:  # type: ignore[no-untyped-def]
    rows = INDICATORS * len(years) * len(units)
    fresh = _plan(world, indicators, years=years, units=units)
    with django_assert_max_num_queries(NEW_QUERIES):
        summary = import_apply(fresh, reason="Imported from arvot.csv")
    assert summary["new_measurements"] == summary["new_targets"] == rows

    changed = _plan(world, indicators, years=years, units=units, shift=1)
    with django_assert_max_num_queries(CHANGED_QUERIES):
        summary = import_apply(changed, reason="Imported from arvot.csv")
    assert summary["changed_measurements"] == summary["changed_targets"] == rows


def test_every_value_written_has_a_history_row_equal_to_it(world, indicators) -> None:  # type: ignore[no-untyped-def]
    years, units = range(2022, 2028), ("kirjasto", "")
    import_apply(_plan(world, indicators, years=years, units=units), reason="Imported from arvot.csv")
    import_apply(_plan(world, indicators[:3], years=years, units=units, shift=2), reason="Imported again")
    for model in (Measurement, Target):
        current = {row.pk: row for row in model.objects.filter(indicator__in=indicators)}
        history = model.history.filter(indicator__in=indicators).order_by("history_id")  # type: ignore[attr-defined]
        added = {record.id: record for record in history if record.history_type == "+"}
        changed = {record.id: record for record in history if record.history_type == "~"}
        assert added.keys() == current.keys()
        assert len(changed) == 3 * len(years) * len(units)
        for pk, record in changed.items():
            assert (record.value, record.history_change_reason) == (current[pk].value, "Imported again")
            # The version after the change, as the history of a grid save has it.
            assert record.version == current[pk].version == added[pk].version + 1
            assert record.value == added[pk].value + 2
        for record in added.values():
            assert record.history_user == world.owner and record.history_change_reason == "Imported from arvot.csv"
            assert (record.indicator_id, record.unit_id, record.year) == (
                current[record.id].indicator_id,
                current[record.id].unit_id,
                current[record.id].year,
            )
    measured = Measurement.history.filter(indicator=indicators[5], year=2026, unit=world.unit_a).get()  # type: ignore[attr-defined]
    assert (measured.value, measured.entered_by, measured.source_note) == (Decimal("506.5"), world.owner, "")
