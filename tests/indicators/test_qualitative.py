"""Qualitative indicators: a scale of levels whose labels are shown in the
reader's language (never the stored ordinal), a select in the entry grid,
the extended on-track rule, and where an indicator belongs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from indicators.services import (
    EntryError,
    indicator_value_display,
    indicators_with_values,
    value_check,
)
from tests.factories import ActionFactory, GoalFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

LEVELS = [
    ("Ei aloitettu", "Inte påbörjad", "Not started"),
    ("Käynnissä", "Pågår", "In progress"),
    ("Valmis", "Klar", "Completed"),
]


@pytest.fixture
def renovation(world) -> Indicator:
    """The library's renovation: target 2026 completed, 2025 in progress, not started in 2021."""
    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Kirjaston peruskorjaus",
        name_en="Library renovation",
        kind=IndicatorKind.QUALITATIVE,
        direction="increase",
        baseline_year=2021,
        baseline_value=Decimal(0),
    )
    for ordinal, (fi, sv, en) in enumerate(LEVELS):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_sv=sv, label_en=en)
    Target.objects.create(indicator=indicator, year=2026, value=Decimal(2))
    Measurement.objects.create(indicator=indicator, year=2025, value=Decimal(1))
    return indicator


def _client(user, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def _detail(world, indicator, user, language: str = "en") -> str:
    response = _client(user, language).get(reverse("indicator-detail", args=[world.strategy.slug, indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "actual", "target"), [("fi", "Käynnissä", "Valmis"), ("en", "In progress", "Completed")]
)
def test_page_shows_level_labels_in_the_readers_language_and_the_extended_status(
    world, renovation, language: str, actual: str, target: str
) -> None:
    html = _detail(world, renovation, world.viewer, language)
    facts = html[html.index('class="indicator-facts"') : html.index("</dl>")]
    assert f"{actual} (2025)" in facts  # the latest value
    assert target in facts  # this year's target
    assert 'badge--on_track' in facts  # in progress, above the baseline, below the target
    table = html[html.index('<table class="indicator-data">') :]
    table = table[: table.index("</table>")]
    assert f'<td class="num">{actual}</td>' in table
    # The stored ordinals are never shown as values.
    assert '<td class="num">1</td>' not in table and '<td class="num">2</td>' not in table
    # The chart names the levels on its axis.
    chart = html[html.index('class="indicator-chart"') :]
    assert actual in chart[: chart.index("</figure>")]
    if language == "en":
        assert "<dd>Not started (2021)</dd>" in facts  # the baseline
        scale = facts[facts.index('<ol class="scale-levels">') :]
        assert scale.startswith('<ol class="scale-levels"><li>Not started</li><li>In progress</li><li>Completed</li></ol>')


def test_list_shows_labels_and_status(world, renovation) -> None:
    html = _client(world.viewer, "fi").get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    row = html[html.index("Kirjaston peruskorjaus") :]
    row = row[: row.index("</tr>")]
    assert "Käynnissä (2025)" in row and "badge--on_track" in row


def test_entry_grid_offers_a_select_of_the_levels(world, renovation) -> None:
    html = _detail(world, renovation, world.owner, "fi")
    cell = html[html.index('id="actual-total-2025"') - 200 :]
    cell = cell[: cell.index("</select>")]
    assert '<select name="value" id="actual-total-2025"' in cell
    assert '<option value="1" selected>Käynnissä</option>' in cell
    assert '<option value="0">Ei aloitettu</option>' in cell and '<option value="2">Valmis</option>' in cell
    assert 'type="text" name="value" id="actual-total-2025"' not in html
    form_page = _client(world.owner).get(reverse("target-edit", args=[world.strategy.slug, renovation.pk, 2026, "total"]))
    assert '<option value="2" selected>Completed</option>' in form_page.content.decode()


def test_owner_saves_a_level_from_the_select(world, renovation) -> None:
    url = reverse("measurement-edit", args=[world.strategy.slug, renovation.pk, 2026, "total"])
    response = _client(world.owner).post(url, {"value": "2", "version": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Measurement.objects.get(indicator=renovation, year=2026).value == 2
    assert "badge--achieved" in response.content.decode()


@pytest.mark.parametrize("posted", ["3", "7", "-1", "1.5", "Valmis"])
def test_a_value_that_is_not_a_level_is_refused_with_the_levels_named(world, renovation, posted: str) -> None:
    url = reverse("measurement-edit", args=[world.strategy.slug, renovation.pk, 2024, "total"])
    response = _client(world.owner).post(url, {"value": posted, "version": "0"})
    assert response.status_code == 422
    assert "Choose one of the levels: Not started, In progress, Completed." in response.content.decode()
    assert not Measurement.objects.filter(indicator=renovation, year=2024).exists()


def test_the_service_refuses_an_ordinal_without_a_level(world, renovation) -> None:
    renovation = indicators_with_values(Indicator.objects.filter(pk=renovation.pk)).get()
    value_check(indicator=renovation, value=Decimal(2))
    for bad in (Decimal(3), Decimal("0.5"), Decimal(-1)):
        with pytest.raises(EntryError, match="Choose one of the levels"):
            value_check(indicator=renovation, value=bad)


def test_indicator_value_display_is_the_label_or_the_formatted_number(world, renovation, satisfaction) -> None:
    loaded = {i.pk: i for i in indicators_with_values(Indicator.objects.filter(strategy=world.strategy))}
    with translation.override("sv"):
        assert indicator_value_display(loaded[renovation.pk], Decimal(1)) == "Pågår"
        assert indicator_value_display(loaded[renovation.pk], 2.0) == "Klar"
    with translation.override("en"):
        assert indicator_value_display(loaded[renovation.pk], Decimal(0)) == "Not started"
        assert indicator_value_display(loaded[renovation.pk], None) == ""
        assert indicator_value_display(loaded[satisfaction.pk], Decimal("72.5")) == "72.5\u00a0%"


def test_indicators_attached_to_an_objective_and_an_action_show_where_they_belong(world) -> None:
    goal = GoalFactory(strategy=world.strategy, title="Lukutaito vahvistuu")
    objective = ObjectiveFactory(goal=goal, number="1.1", title="Lapset lukevat")
    action = ActionFactory(strategy=world.strategy, number="7", title="Lukudiplomi")
    by_objective = Indicator.objects.create(strategy=world.strategy, name="Lukevat lapset", objective=objective, goal=goal)
    by_action = Indicator.objects.create(strategy=world.strategy, name="Diplomit", action=action, focus_area=action.focus_area)

    html = _client(world.viewer).get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    assert "Objective: 1.1 Lapset lukevat" in html
    assert "Action: Lukudiplomi" in html
    assert "Objective: 1.1 Lapset lukevat" in _detail(world, by_objective, world.viewer)
    assert "Action: Lukudiplomi" in _detail(world, by_action, world.viewer)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, ""), (Decimal(0), "Ei aloitettu"), (Decimal("2.000000"), "Valmis"), (2.0, "Valmis"), (Decimal(7), "7")],
)
def test_pages_and_report_show_a_level_through_one_rule(value, shown) -> None:
    from indicators.numbers import level_display

    assert level_display({0: "Ei aloitettu", 1: "Käynnissä", 2: "Valmis"}, value) == shown
