"""No lost update on value cells: the grid's form carries the cell's version
(0 for an empty cell), and a save over someone else's newer value, or over a
cell someone created or removed meanwhile, is refused with who saved last,
when, their value and yours. Nothing is overwritten."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from indicators.services import ValueConflictError, measurement_record, target_record

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
CONFLICT = "Not saved: someone else changed this item after you opened it."


@pytest.fixture
def readiness(world) -> Indicator:
    """A qualitative indicator: low / medium / high."""
    indicator = Indicator.objects.create(strategy=world.strategy, name="Valmius", kind=IndicatorKind.QUALITATIVE)
    for ordinal, label in enumerate(("Low", "Medium", "High")):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=label, label_en=label)
    return indicator


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _named(world):
    world.owner.first_name, world.owner.last_name = "Olli", "Omistaja"
    world.owner.save()
    second = type(world.owner).objects.create(username="owner2", first_name="Toinen", last_name="Omistaja")
    from strategy.models import Membership, Role

    Membership.objects.create(user=second, organisation=world.sector, role=Role.OWNER)
    return _client(world.owner), _client(second)


# (indicator fixture, the first person's value, the second person's value, how both are shown)
CASES = [
    ("satisfaction", "80", "85", ("80,0\u00a0%", "85,0\u00a0%")),
    ("readiness", "1", "2", ("Medium", "High")),
]


@pytest.mark.parametrize(("fixture", "first_value", "second_value", "shown"), CASES)
@pytest.mark.parametrize("htmx", [False, True])
def test_stale_save_is_refused_with_who_saved_first_and_the_first_value_is_kept(
    request, world, fixture: str, first_value: str, second_value: str, shown: tuple[str, str], htmx: bool
) -> None:
    indicator = request.getfixturevalue(fixture)
    shown = tuple(s.replace(",", ".") for s in shown)  # the English interface
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(0))
    first, second = _named(world)
    url = reverse("measurement-edit", args=[world.strategy.slug, indicator.pk, 2024, "total"])
    # Both open the cell at version 1.
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(url).content.decode()
    assert first.post(url, {"value": first_value, "version": "1"}).status_code == 302

    response = second.post(url, {"value": second_value, "version": "1"}, headers=HTMX if htmx else {})

    body = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in body
    assert "Olli Omistaja" in body  # who saved last
    assert shown[0] in body and shown[1] in body  # their value and yours
    # The form now carries the version that is stored: saving again is a deliberate choice.
    assert 'name="version" value="2"' in body
    measurement = Measurement.objects.get(indicator=indicator, year=2024)
    assert measurement.value == Decimal(first_value) and measurement.version == 2
    assert measurement.history.count() == 2  # created, the first person's save


@pytest.mark.parametrize(("fixture", "first_value", "second_value", "shown"), CASES)
def test_a_cell_created_meanwhile_is_a_conflict(
    request, world, fixture: str, first_value: str, second_value: str, shown: tuple[str, str]
) -> None:
    indicator = request.getfixturevalue(fixture)
    first, second = _named(world)
    url = reverse("target-edit", args=[world.strategy.slug, indicator.pk, 2026, "total"])
    # Both open the empty cell.
    for client in (first, second):
        assert 'name="version" value="0"' in client.get(url).content.decode()
    assert first.post(url, {"value": first_value, "version": "0"}).status_code == 302

    response = second.post(url, {"value": second_value, "version": "0"}, headers=HTMX)

    assert response.status_code == 409
    body = response.content.decode()
    assert CONFLICT in body and "Olli Omistaja" in body
    assert Target.objects.get(indicator=indicator, year=2026).value == Decimal(first_value)


def test_removing_a_value_someone_changed_meanwhile_is_refused(world, satisfaction) -> None:
    first, second = _named(world)
    url = reverse("measurement-edit", args=[world.strategy.slug, satisfaction.pk, 2022, "total"])
    assert first.post(url, {"value": "74", "version": "1"}).status_code == 302
    response = second.post(url, {"value": "", "version": "1"})
    assert response.status_code == 409
    assert Measurement.objects.get(indicator=satisfaction, year=2022).value == Decimal(74)


def test_saving_over_a_value_removed_meanwhile_is_refused(world, satisfaction) -> None:
    first, second = _named(world)
    url = reverse("measurement-edit", args=[world.strategy.slug, satisfaction.pk, 2022, "total"])
    assert first.post(url, {"value": "", "version": "1"}).status_code == 302
    response = second.post(url, {"value": "75", "version": "1"})
    assert response.status_code == 409
    assert "Olli Omistaja" in response.content.decode()
    assert not Measurement.objects.filter(indicator=satisfaction, year=2022).exists()


def test_services_raise_a_typed_conflict_and_write_nothing(world, satisfaction) -> None:
    satisfaction.strategy = world.strategy
    target_record(indicator=satisfaction, year=2027, unit=None, value=Decimal(95), user=world.head, expected_version=1)
    with pytest.raises(ValueConflictError) as caught:
        target_record(indicator=satisfaction, year=2027, unit=None, value=Decimal(99), user=world.owner, expected_version=1)
    conflict = caught.value
    assert conflict.changed_by == world.head and conflict.current_version == 2
    assert conflict.differences() == [("Target 2027", "95.0\u00a0%", "99.0\u00a0%")]
    assert Target.objects.get(indicator=satisfaction, year=2027).value == Decimal(95)
    with pytest.raises(ValueConflictError):
        measurement_record(indicator=satisfaction, year=2022, unit=None, value=Decimal(1), user=world.owner, expected_version=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True])
def test_two_concurrent_saves_of_one_cell_cannot_both_win(world, existing: bool) -> None:
    """Two threads, two database connections, the same expected version: on
    an empty cell (both insert) and on a stored one (both update)."""
    indicator = Indicator.objects.create(strategy=world.strategy, name="Kävijät")
    if existing:
        Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(1))
    expected = 1 if existing else 0
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: object, value: int) -> None:
        try:
            barrier.wait()
            mine = Indicator.objects.select_related("strategy").get(pk=indicator.pk)
            measurement_record(
                indicator=mine, year=2024, unit=None, value=Decimal(value), user=user, expected_version=expected
            )
            outcomes.append(str(value))
        except ValueConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(world.head, 10)), threading.Thread(target=save, args=(world.owner, 20))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) in (["10", "conflict"], ["20", "conflict"])
    winner = next(o for o in outcomes if o != "conflict")
    measurement = Measurement.objects.get(indicator=indicator, year=2024)
    assert measurement.value == Decimal(winner) and measurement.version == expected + 1
