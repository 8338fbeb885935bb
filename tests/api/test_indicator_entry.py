"""PUT /api/v1/indicators/<id>/values/ and …/targets/: the entry grid's rights and checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Measurement, Target

pytestmark = pytest.mark.django_db


def put(client, indicator, kind, **body):
    return client.put(f"/api/v1/indicators/{indicator.pk}/{kind}/", body, format="json")


def test_owner_records_a_total_value_with_history(api_world, as_persona):
    indicator = api_world.indicator
    response = put(
        as_persona("owner"), indicator, "values", year=2025, unit=None, value="1 234,5", version=0
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"year": 2025, "unit": None, "value": "1234.500000", "version": 1}
    row = Measurement.objects.get(indicator=indicator, year=2025, unit=None)
    assert (row.value, row.entered_by) == (Decimal("1234.5"), api_world.world.owner)
    assert row.history.latest().history_user == api_world.world.owner


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("owner", "a", 200),
        ("head", "a", 200),
        ("head", None, 403),  # totals are the owners'
        ("head", "b", 403),
        ("staff", "a", 403),
        ("viewer", "a", 403),
        ("otherhead", "a", 403),
        ("otherhead", "b", 200),
    ],
)
def test_values_follow_the_entry_grids_rights(api_world, as_persona, persona, unit, status):
    units = {"a": api_world.world.unit_a.pk, "b": api_world.world.unit_b.pk, None: None}
    response = put(
        as_persona(persona), api_world.indicator, "values", year=2026, unit=units[unit], value="5"
    )
    assert response.status_code == status
    assert Measurement.objects.filter(year=2026).exists() is (status == 200)


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("head", 403), ("staff", 403), ("viewer", 403)]
)
def test_only_owners_set_targets(api_world, as_persona, persona, status):
    response = put(
        as_persona(persona), api_world.indicator, "targets", year=2026, unit=None, value="2000"
    )
    assert response.status_code == status
    assert Target.objects.filter(year=2026).exists() is (status == 200)


def test_stale_target_gets_409_with_the_current_value_and_changes_nothing(api_world, as_persona):
    client = as_persona("owner")
    response = put(
        client, api_world.indicator, "targets", year=2025, unit=None, value="1800", version=0
    )
    assert response.status_code == 409
    assert response.json()["current"] == {
        "year": 2025,
        "unit": None,
        "value": "1500.000000",
        "version": 1,
    }
    assert Target.objects.get(year=2025).value == Decimal(1500)
    ok = put(client, api_world.indicator, "targets", year=2025, unit=None, value="1800", version=1)
    assert ok.status_code == 200 and ok.json()["version"] == 2


def test_null_value_removes_it(api_world, as_persona):
    response = put(
        as_persona("head"),
        api_world.indicator,
        "values",
        year=2024,
        unit=api_world.world.unit_a.pk,
        value=None,
        version=1,
    )
    assert response.status_code == 200
    assert response.json()["value"] is None
    assert not Measurement.objects.filter(year=2024).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2025, "value": "lots"}, "value"),
        ({"year": 2035, "value": "5"}, "year"),
        ({"year": 2025, "unit": 999999, "value": "5"}, "unit"),
        ({"value": "5"}, "year"),
    ],
)
def test_invalid_cells_get_400_with_field_messages(api_world, as_persona, body, field):
    response = put(as_persona("owner"), api_world.indicator, "values", **body)
    assert response.status_code == 400
    assert response.json()[field]
    assert Measurement.objects.count() == 1


def test_a_percentage_outside_0_100_is_refused_like_on_the_page(api_world, as_persona):
    api_world.indicator.is_percentage = True
    api_world.indicator.save()
    response = put(as_persona("owner"), api_world.indicator, "values", year=2025, value="120")
    assert response.status_code == 400 and response.json()["value"]


def test_head_of_other_unit_gets_404_on_indicator_of_unseen_draft(api_world, as_persona):
    from indicators.models import Indicator

    hidden = Indicator.objects.create(strategy=api_world.draft_strategy, name_fi="Lainat")
    response = put(
        as_persona("otherhead"),
        hidden,
        "values",
        year=2025,
        unit=api_world.world.unit_b.pk,
        value="1",
    )
    assert response.status_code == 404
