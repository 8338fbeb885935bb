"""Indicators in the strategy editor: numeric or qualitative with a ready-made
or written scale, attached to one part of the same strategy, removed only
while nobody has measured them, under the editor's optimistic lock. The
generic tests of every kind (test_editor_parts) run for indicators too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from tests.factories import (
    ActionFactory,
    GoalFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def owner_client(world: Any) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def _create(world: Any, **data: str) -> Any:
    url = reverse("part-create", args=[world.strategy.slug, "indicator"])
    return owner_client(world).post(url, {"direction": "increase", "decimals": "0", "kind": "numeric", **data})


def _levels(indicator: Indicator, language: str = "en") -> list[str]:
    return [getattr(level, f"label_{language}") for level in indicator.levels.order_by("ordinal")]


def test_owner_creates_a_qualitative_indicator_with_a_ready_made_scale_under_an_objective(world) -> None:
    perspective = PerspectiveFactory(strategy=world.strategy)
    goal = GoalFactory(strategy=world.strategy, perspective=perspective)
    objective = ObjectiveFactory(goal=goal, number="1.1", title="Lapset lukevat")

    response = _create(
        world,
        name_fi="Lukudiplomi käytössä",
        kind="qualitative",
        scale="progress",
        attached_to=f"objective:{objective.pk}",
        baseline_year="2021",
        baseline_level="not started",
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get(strategy=world.strategy)
    assert indicator.kind == IndicatorKind.QUALITATIVE and indicator.version == 1
    assert _levels(indicator) == ["Not started", "In progress", "Completed"]
    assert indicator.baseline_value == 0
    # The objective, and the goal and perspective above it, for grouping the list.
    assert (indicator.objective, indicator.goal, indicator.perspective) == (objective, goal, perspective)
    assert indicator.history.get().history_user == world.owner


def test_levels_written_per_language_must_match_the_main_language(world) -> None:
    response = _create(
        world,
        name_fi="Kumppanuuksien taso",
        kind="qualitative",
        scale="custom",
        levels_fi="Heikko\nKohtalainen\nVahva",
        levels_sv="Svag\nStark",
    )
    assert response.status_code == 422
    assert "Write as many levels as in Finnish (3), in the same order." in response.content.decode()
    assert not Indicator.objects.exists()

    response = _create(
        world,
        name_fi="Kumppanuuksien taso",
        kind="qualitative",
        scale="custom",
        levels_fi="Heikko\nKohtalainen\nVahva",
        levels_en="Weak\nModerate\nStrong",
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert _levels(indicator, "fi") == ["Heikko", "Kohtalainen", "Vahva"]
    assert _levels(indicator, "en") == ["Weak", "Moderate", "Strong"]
    assert _levels(indicator, "sv") == [None, None, None]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "qualitative"}, "Choose a scale for a qualitative indicator."),
        ({"kind": "qualitative", "scale": "custom", "levels_fi": "Yksi"}, "Write at least two levels, one per line."),
        ({"kind": "numeric", "scale": "level"}, "Choose “Qualitative” as the kind to use a scale."),
        ({"kind": "qualitative", "scale": "level", "baseline_level": "Huge"}, "Write one of the levels of the scale."),
        ({"kind": "numeric", "baseline_level": "Low"}, "A numeric indicator has a baseline value, not a level."),
    ],
)
def test_scale_mistakes_are_refused_with_a_message(world, data: dict[str, str], message: str) -> None:
    response = _create(world, name_fi="Mittari", **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


def test_attachment_choices_are_limited_to_the_strategy(world) -> None:
    mine = ActionFactory(strategy=world.strategy, title="Oma toimenpide")
    other = ActionFactory(strategy=StrategyFactory(organisation=world.sector), title="Vieras toimenpide")
    page = owner_client(world).get(reverse("part-create", args=[world.strategy.slug, "indicator"])).content.decode()
    assert "Oma toimenpide" in page and "Vieras toimenpide" not in page

    assert _create(world, name_fi="Mittari", attached_to=f"action:{other.pk}").status_code == 422
    assert not Indicator.objects.exists()
    assert _create(world, name_fi="Mittari", attached_to=f"action:{mine.pk}").status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.action, indicator.focus_area) == (mine, mine.focus_area)


def test_editing_opens_with_the_scale_and_link_and_keeps_them(world) -> None:
    goal = GoalFactory(strategy=world.strategy)
    indicator = Indicator.objects.create(
        strategy=world.strategy, name_fi="Valmius", kind=IndicatorKind.QUALITATIVE, goal=goal, baseline_value=Decimal(1)
    )
    for ordinal, label in enumerate(("Matala", "Keskitaso", "Korkea")):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=label)
    client = owner_client(world)
    url = reverse("part-edit", args=[world.strategy.slug, "indicator", indicator.pk])
    page = client.get(url).content.decode()
    assert "Matala\nKeskitaso\nKorkea</textarea>" in page
    assert f'value="goal:{goal.pk}" selected' in page
    assert 'name="baseline_level" value="Keskitaso"' in page

    data = {
        "name_fi": "Valmius",
        "kind": "qualitative",
        "scale": "custom",
        "levels_fi": "Matala\nKeskitaso\nKorkea\nErinomainen",
        "baseline_level": "Keskitaso",
        "attached_to": f"goal:{goal.pk}",
        "direction": "increase",
        "decimals": "0",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert _levels(indicator, "fi") == ["Matala", "Keskitaso", "Korkea", "Erinomainen"]
    assert (indicator.version, indicator.goal, indicator.baseline_value) == (2, goal, 1)


def test_scale_cannot_lose_a_level_that_values_use_nor_the_kind_change(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Valmius", kind=IndicatorKind.QUALITATIVE)
    for ordinal, label in enumerate(("Matala", "Keskitaso", "Korkea")):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=label)
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(2))
    url = reverse("part-edit", args=[world.strategy.slug, "indicator", indicator.pk])
    data = {"name_fi": "Valmius", "direction": "increase", "decimals": "0", "version": "1"}

    shorter = owner_client(world).post(url, {**data, "kind": "qualitative", "scale": "custom", "levels_fi": "Matala\nKorkea"})
    assert shorter.status_code == 422
    assert "Values of 2024 use levels that this scale would remove." in shorter.content.decode()
    numeric = owner_client(world).post(url, {**data, "kind": "numeric"})
    assert numeric.status_code == 422
    assert "The kind cannot change while the indicator has targets or measured values (2024)." in numeric.content.decode()
    indicator.refresh_from_db()
    assert indicator.kind == IndicatorKind.QUALITATIVE and _levels(indicator, "fi") == ["Matala", "Keskitaso", "Korkea"]


@pytest.mark.parametrize("htmx", [False, True])
def test_removal_is_refused_while_the_indicator_has_measured_values(world, htmx: bool) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    for year in range(2022, 2026):
        for unit in (None, world.unit_a, world.unit_b):
            Measurement.objects.create(indicator=indicator, year=year, unit=unit, value=Decimal(1))
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, "indicator", indicator.pk])
    assert "12 measured values 2022–2025" in client.get(url, headers=HTMX if htmx else {}).content.decode()

    response = client.post(url, {"version": "1"}, headers=HTMX if htmx else {})

    assert response.status_code == 409
    assert "12 measured values 2022–2025" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_removal_without_measured_values_asks_once_and_takes_the_targets(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    Target.objects.create(indicator=indicator, year=2026, value=Decimal(5))
    Target.objects.create(indicator=indicator, year=2027, value=Decimal(6))
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, "indicator", indicator.pk])
    confirm = client.get(url).content.decode()
    assert "Remove the indicator “Kävijät”?" in confirm and "2 targets 2026–2027" in confirm

    assert client.post(url, {"version": "1"}).status_code == 302

    assert not Indicator.objects.exists() and not Target.objects.exists()
    assert Indicator.history.filter(id=indicator.pk, history_type="-").get().history_user == world.owner


def test_stale_scale_edit_shows_their_levels_and_yours(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Valmius", kind=IndicatorKind.QUALITATIVE)
    for ordinal, label in enumerate(("Matala", "Korkea")):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=label)
    url = reverse("part-edit", args=[world.strategy.slug, "indicator", indicator.pk])
    data = {"name_fi": "Valmius", "kind": "qualitative", "scale": "custom", "direction": "increase", "decimals": "0", "version": "1"}
    client = owner_client(world)
    assert client.post(url, {**data, "levels_fi": "Matala\nKeskitaso\nKorkea"}).status_code == 302

    response = client.post(url, {**data, "levels_fi": "Heikko\nVahva"}, headers=HTMX)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Not saved: someone else changed this" in body
    assert "Keskitaso, Korkea, Matala" in body and "Heikko, Vahva" in body
    assert _levels(indicator, "fi") == ["Matala", "Keskitaso", "Korkea"]


def test_edit_mode_lists_indicators_with_a_link_to_enter_values(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    page = owner_client(world).get(reverse("editor", args=[world.strategy.slug])).content.decode()
    region = page[page.index('id="region-indicator"') :]
    region = region[: region.index("</section>")]
    assert ">Indicators</h2>" in region and "Kävijät" in region
    assert reverse("indicator-detail", args=[world.strategy.slug, indicator.pk]) in region
    assert "Enter targets and values" in region


def test_objectives_and_actions_with_indicators_are_kept(world) -> None:
    objective = ObjectiveFactory(goal=GoalFactory(strategy=world.strategy))
    action = ActionFactory(strategy=world.strategy)
    Indicator.objects.create(strategy=world.strategy, name_fi="Osuus", objective=objective)
    Indicator.objects.create(strategy=world.strategy, name_fi="Määrä", action=action)
    client = owner_client(world)
    for key, part in (("objective", objective), ("action", action)):
        url = reverse("part-delete", args=[world.strategy.slug, key, part.pk])
        response = client.post(url, {"version": "1"})
        assert response.status_code == 409 and "Indicator “" in response.content.decode()
