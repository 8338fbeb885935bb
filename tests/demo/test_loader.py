"""The loader's upsert reads each kind of row once per run and finds, creates
or changes rows exactly as a query per row would."""

from __future__ import annotations

import pytest

from demo.base import Loader
from indicators.models import Indicator, Target
from strategy.models import Organisation

pytestmark = pytest.mark.django_db


def test_rows_of_one_kind_are_read_in_one_query(django_assert_num_queries, world) -> None:
    loader = Loader()
    loader.org("kaupunki", Organisation.Kind.CITY, "Kaupunki")
    # Found by the row read with the first: no further look-up, nothing written.
    with django_assert_num_queries(0):
        for _ in range(5):
            loader.org("kaupunki", Organisation.Kind.CITY, "Kaupunki")
    assert loader.created["organisations"] == 1
    assert loader.updated["organisations"] == 0


def test_rows_that_existed_before_the_run_are_found(world) -> None:
    loader = Loader()
    found = loader.org(
        world.unit_a.slug, world.unit_a.kind, world.unit_a.name_fi, parent=world.sector
    )
    assert found.pk == world.unit_a.pk
    assert not loader.created


def test_a_key_given_as_text_finds_the_row_its_field_reads_as_a_number(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    loader = Loader()
    first = loader.upsert(Target, {"indicator": indicator, "unit": None, "year": 2026}, value=10)
    again = loader.upsert(
        Target, {"indicator": indicator.pk, "unit": None, "year": "2026"}, value=10
    )
    assert again.pk == first.pk
    assert Target.objects.filter(indicator=indicator).count() == 1


def test_a_change_saves_the_row_as_the_database_holds_it_now(world) -> None:
    """A row read at the start of the run and changed in the database since
    (as an organisation's move changes its children's paths) is read again
    before a save, which would otherwise write the old values back."""
    loader = Loader()
    unit = loader.org("yksikko", Organisation.Kind.UNIT, "Yksikkö", parent=world.sector)
    Organisation.objects.filter(pk=unit.pk).update(short_name_sv="Enh.")

    loader.org("yksikko", Organisation.Kind.UNIT, "Uusi nimi", parent=world.sector)

    unit.refresh_from_db()
    assert (unit.name_fi, unit.short_name_sv) == ("Uusi nimi", "Enh.")
    assert loader.updated["organisations"] == 1


def test_a_translated_key_is_looked_up_in_the_database(world, django_assert_num_queries) -> None:
    """A key on a translated field follows the active language in a query:
    the loader asks the database for each such row instead of reading them all."""
    loader = Loader()
    loader.upsert(
        Organisation,
        {"name": "Nimetön"},
        slug="nimeton",
        kind=Organisation.Kind.UNIT,
        parent=world.sector,
    )
    with django_assert_num_queries(1):
        found = loader.upsert(
            Organisation,
            {"name": "Nimetön"},
            slug="nimeton",
            kind=Organisation.Kind.UNIT,
            parent=world.sector,
        )
    assert found.slug == "nimeton"
