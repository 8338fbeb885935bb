"""The history tab lists every change to the strategy, its parts, its
indicators with their targets and measured values, and its maturity models
with their agreed and target levels, newest first, who and when and field
old → new, 50 a page, filtered by kind, in a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from maturity.models import AgreedLevel, Criterion, TargetLevel
from tests.factories import GoalFactory, ObjectiveFactory, StrategyFactory, UserFactory, every_part
from tests.maturity.conftest import build_matrix, open_round

pytestmark = pytest.mark.django_db


def owner_client(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def rename_goal(client: Client, world, goal, title: str) -> None:
    goal.refresh_from_db()
    url = reverse("part-edit", args=[world.strategy.slug, "goal", goal.pk])
    response = client.post(url, {"title_fi": title, "version": str(goal.version)})
    assert response.status_code == 302


def test_history_lists_changes_newest_first_with_old_and_new(world) -> None:
    world.owner.first_name, world.owner.last_name = "Olli", "Omistaja"
    world.owner.save()
    client = owner_client(world)
    goal = GoalFactory(strategy=world.strategy, title_fi="Lukutaito")
    objective = ObjectiveFactory(goal=goal, title="Lapset lukevat")
    rename_goal(client, world, goal, "Lukutaito vahvistuu")
    delete = reverse("part-delete", args=[world.strategy.slug, "objective", objective.pk])
    assert client.post(delete, {"version": "1"}).status_code == 302

    page = client.get(reverse("strategy-history", args=[world.strategy.slug])).content.decode()

    removed = page.index("Lapset lukevat")
    renamed = page.index("Lukutaito → Lukutaito vahvistuu")
    assert removed < renamed  # newest first
    assert "Olli Omistaja" in page
    assert "Removed" in page and "Added" in page
    assert "Title [fi]:</strong> Lukutaito → Lukutaito vahvistuu" in page


def test_history_is_paginated_and_its_query_count_does_not_grow(world) -> None:
    client = owner_client(world)
    url = reverse("strategy-history", args=[world.strategy.slug])
    goal = GoalFactory(strategy=world.strategy, title_fi="Alku")
    for n in range(5):
        rename_goal(client, world, goal, f"Nimi {n}")
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5, 70):
        rename_goal(client, world, goal, f"Nimi {n}")
    ObjectiveFactory(goal=goal)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    body = response.content.decode()
    assert "Nimi 68 → Nimi 69" in body and "Nimi 3 → Nimi 4" not in body
    assert "page 1 of 2" in body
    assert len(many) == len(few)
    assert len(many) <= 16
    older = client.get(url + "?page=2").content.decode()
    assert "Nimi 3 → Nimi 4" in older


def test_only_owners_read_the_history(world) -> None:
    url = reverse("strategy-history", args=[world.strategy.slug])
    for username in ("head", "staff", "otherhead", "viewer"):
        client = Client()
        client.force_login(UserFactory(username=username))
        assert client.get(url).status_code == 404
    assert owner_client(world).get(url).status_code == 200


# Indicators, their values and maturity -----------------------------------------

STAGES = [("Ei aloitettu", "Not started"), ("Käynnissä", "In progress"), ("Valmis", "Completed")]


def qualitative(strategy, name: str = "Peruskorjaus") -> Indicator:
    indicator = Indicator.objects.create(strategy=strategy, name_fi=name, kind=IndicatorKind.QUALITATIVE)
    for ordinal, (fi, en) in enumerate(STAGES):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_en=en)
    return indicator


def history_page(world, query: str = "") -> str:
    response = owner_client(world).get(reverse("strategy-history", args=[world.strategy.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def every_kind_of_change(world, n: int = 0) -> None:
    """One change of each kind the history lists besides the parts: an
    indicator renamed, a target and a measured value set and corrected, a
    maturity model with levels, dimensions and criteria, an agreed level and
    a unit's target level moved."""
    indicator = qualitative(world.strategy, f"Peruskorjaus {n}")
    indicator.name_fi = f"Kirjaston peruskorjaus {n}"
    indicator.save()
    target = Target.objects.create(indicator=indicator, year=2026, unit=world.unit_a, value=Decimal(2))
    target.value = Decimal(1)
    target.save()
    measurement = Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(0))
    measurement.value = Decimal(1)
    measurement.save()
    # The first letter of the name keeps each model's section numbers apart.
    matrix = build_matrix(world.strategy, name=f"{'ABCDEFGH'[n]} malli")
    criterion = Criterion.objects.get(dimension=matrix.dimensions[0], level=matrix.levels[0])
    criterion.text_fi = f"Uusi kriteeri {n}"
    criterion.save()
    round_ = open_round(matrix, [world.unit_a], year=2024)
    agreed = AgreedLevel.objects.create(round=round_, unit=world.unit_a, dimension=matrix.dimensions[0], level=matrix.levels[0])
    agreed.level = matrix.levels[1]
    agreed.save()
    aim = TargetLevel.objects.create(dimension=matrix.dimensions[0], unit=world.unit_a, year=2026, level=matrix.levels[2])
    aim.level = matrix.levels[3]
    aim.save()


def test_history_lists_indicator_values_with_level_labels_and_maturity_changes(world) -> None:
    every_kind_of_change(world)
    numeric = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    visits = Measurement.objects.create(indicator=numeric, year=2023, value=Decimal(1100))
    visits.value = Decimal(1250)
    visits.save()

    page = history_page(world)

    assert "Name [fi]:</strong> Peruskorjaus 0 → Kirjaston peruskorjaus 0" in page
    # Qualitative values by their level's label, numbers in the reader's format.
    assert "Kirjaston peruskorjaus 0 2026, Kirjasto" in page
    assert "Target value:</strong> Completed → In progress" in page
    assert "Actual value:</strong> Not started → In progress" in page
    assert "Actual value:</strong> – → Not started" in page  # added
    assert "Actual value:</strong> 1,100 → 1,250" in page
    assert "Criteria [fi]:</strong> Visio 2027: kriteeri tasolle Alkava → Uusi kriteeri 0" in page
    assert "Level:</strong> 1 Alkava → 2 Kehittyvä" in page  # the agreed level
    assert "Level:</strong> 3 Hyvä → 4 Optimaalinen" in page  # the unit's target level
    assert "Visio 2027: Kirjasto 2024" in page and "Visio 2027: Kirjasto 2026" in page
    for label in ("Scale level", "Target", "Measured value", "Maturity model", "Maturity level", "Dimension", "Criterion"):
        assert f"<td>{label}:" in page


def test_history_leaves_out_other_strategies_and_self_assessments(world) -> None:
    other = StrategyFactory(organisation=world.sector)
    stranger = Indicator.objects.create(strategy=other, name_fi="Vieras mittari")
    Measurement.objects.create(indicator=stranger, year=2024, value=Decimal(5))
    build_matrix(other, name="Vieras malli")  # its criteria say "kriteeri"

    page = history_page(world)

    assert "Vieras" not in page and "kriteeri" not in page


def test_history_keeps_the_changes_of_a_removed_indicator(world) -> None:
    indicator = qualitative(world.strategy)
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(2))
    indicator.delete()

    page = history_page(world)

    assert "Peruskorjaus 2024" in page and "Removed" in page


def test_history_filters_by_kind_without_javascript(world) -> None:
    every_kind_of_change(world)
    GoalFactory(strategy=world.strategy, title="Lukutaito")

    values = history_page(world, "?kind=values")
    maturity = history_page(world, "?kind=maturity")
    everything = history_page(world, "?kind=nonsense")

    assert '<form method="get"' in values and '<option value="values" selected>' in values
    assert "Target value:" in values and "Lukutaito" not in values and "Criteria [fi]" not in values
    assert "Criteria [fi]:" in maturity and "Target value:" not in maturity and "Level:</strong> 1 Alkava" not in maturity
    assert "Lukutaito" in everything and "Target value:" in everything


def test_filtered_pages_link_to_the_next_page_of_the_same_kind(world) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name_fi="Kävijät")
    measurement = Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(0))
    for n in range(1, 60):
        measurement.value = Decimal(n)
        measurement.save()

    page = history_page(world, "?kind=values")

    assert 'href="?kind=values&amp;page=2"' in page
    assert "page 1 of 2" in page


def test_history_of_every_kind_takes_the_same_queries_for_little_and_much(world, django_assert_max_num_queries) -> None:
    client = owner_client(world)
    url = reverse("strategy-history", args=[world.strategy.slug])
    every_kind_of_change(world)
    every_part(world.strategy)
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as little:
        assert client.get(url).status_code == 200
    for n in range(1, 6):
        every_kind_of_change(world, n)
        every_part(world.strategy, copies=2, tag=str(n))

    with django_assert_max_num_queries(len(little)):
        first = client.get(url)
    with django_assert_max_num_queries(len(little)):
        assert client.get(url + "?page=3").status_code == 200
    assert "page 1 of" in first.content.decode()
    assert len(little) <= 45


def test_history_lists_the_organisation_and_its_peoples_roles_but_nothing_above(world) -> None:
    from strategy.models import Membership, Role

    client = owner_client(world)
    edit = reverse("organisation-edit", args=[world.unit_a.slug])
    response = client.post(
        edit, {"name_fi": "Kaupunginkirjasto", "name_sv": "", "name_en": "", "short_name_fi": "", "short_name_sv": "",
               "short_name_en": "", "kind": "unit", "version": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    world.viewer.first_name, world.viewer.last_name = "Ville", "Valtuutettu"
    world.viewer.save()
    Membership.objects.create(user=world.viewer, organisation=world.unit_b, role=Role.HEAD)
    world.city.name_fi = "Ylempi kaupunki"
    world.city.save()

    page = history_page(world, "?kind=people")

    assert "– → Kaupunginkirjasto" in page
    assert "Staff member, Kaupunginkirjasto" in page
    assert "Ville Valtuutettu: Unit head, Museo" in page
    assert "Ylempi kaupunki" not in page
    assert "Path" not in page  # the materialised path is noise, not a change people made
