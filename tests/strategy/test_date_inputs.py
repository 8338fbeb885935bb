"""Date fields render their value as ISO 8601 whatever the interface
language: a browser's date input reads nothing else, and a Finnish
"29.11.2026" would arrive empty."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from strategy.forms import PlanCreateForm
from strategy.models import Action, Organisation
from strategy.people_forms import DissolveForm

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 29)


def test_dissolve_date_is_iso_in_finnish() -> None:
    with translation.override("fi"):
        html = str(DissolveForm(initial={"dissolved_on": DAY, "version": 1})["dissolved_on"])
    assert 'type="date"' in html and 'value="2026-11-29"' in html


def test_plan_deadline_is_iso_in_finnish(world) -> None:
    form = PlanCreateForm(
        initial={"deadline": DAY},
        strategy=world.strategy,
        units=Organisation.objects.filter(pk=world.unit_a.pk),
        actions=Action.objects.none(),
        default_year=world.strategy.period_start,
    )
    with translation.override("fi"):
        html = str(form["deadline"])
    assert 'type="date"' in html and 'value="2026-11-29"' in html


def test_iso_date_from_the_browser_is_read_in_finnish() -> None:
    with translation.override("fi"):
        form = DissolveForm({"dissolved_on": "2026-11-29", "version": "1"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["dissolved_on"] == DAY
