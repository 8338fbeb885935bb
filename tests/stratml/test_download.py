"""Downloading a strategy as StratML: what each reader may see, valid files,
and a number of queries that does not grow with the strategy."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from strategy import versions
from strategy.models import Goal, Strategy
from stratml.exporting import PART1_NS, PART2_NS, stratml_validate
from stratml.reading import stratml_read
from stratml.services import strategy_from_plan

from ..factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    ObjectiveFactory,
    PrincipleFactory,
    StakeholderFactory,
    UserFactory,
    VisionFactory,
    every_part,
)

pytestmark = pytest.mark.django_db


def _download(user, strategy: Strategy):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(reverse("stratml-download", args=[strategy.slug]))


def _approve(strategy: Strategy, user) -> None:  # type: ignore[no-untyped-def]
    strategy.refresh_from_db()
    versions.strategy_approve(
        strategy=strategy,
        user=user,
        expected_version=strategy.version,
        expected_content=versions.content_sha256(versions.strategy_snapshot(strategy)),
        approved_on=datetime.date(2025, 2, 3),
        decision_body={"fi": "Valtuusto"},
        decision_reference="1 §",
    )


def test_overview_links_to_the_download_and_the_file_validates(world) -> None:
    GoalFactory(strategy=world.strategy, title_fi="Lukutaito", title_en="Literacy")
    client = Client()
    client.force_login(world.owner)
    page = client.get(reverse("strategy-detail", args=[world.strategy.slug])).content.decode()
    assert reverse("stratml-download", args=[world.strategy.slug]) in page
    response = _download(world.owner, world.strategy)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert (
        "attachment;" in response["Content-Disposition"]
        and "part1-fi.xml" in response["Content-Disposition"]
    )
    assert stratml_validate(response.content) == []
    # Texts are written in the strategy's main language, whatever the reader's.
    assert b"Lukutaito" in response.content and b"Literacy" not in response.content


def test_outsiders_get_the_approved_version_and_members_the_working_copy(world) -> None:
    goal = GoalFactory(strategy=world.strategy, title_fi="Hyväksytty tavoite")
    _approve(world.strategy, world.owner)
    Goal.objects.filter(pk=goal.pk).update(title_fi="Muokattu tavoite", title="Muokattu tavoite")
    outsider = UserFactory(username="outsider")
    outside = _download(outsider, world.strategy)
    assert outside.status_code == 200
    assert b"Hyv\xc3\xa4ksytty tavoite" in outside.content and b"Muokattu" not in outside.content
    inside = _download(world.owner, world.strategy)
    assert b"Muokattu tavoite" in inside.content
    assert b"<PublicationDate>2025-02-03</PublicationDate>" in inside.content


def test_a_draft_is_not_found_for_outsiders_and_anonymous_visitors_sign_in(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    assert _download(UserFactory(username="outsider"), world.strategy).status_code == 404
    response = Client().get(reverse("stratml-download", args=[world.strategy.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_indicators_make_a_part2_file_with_targets_results_and_a_qualitative_scale(world) -> None:
    strategy = world.strategy
    goal = GoalFactory(strategy=strategy, title_fi="Tavoite")
    objective = ObjectiveFactory(goal=goal, title_fi="Osatavoite", number="1.1")
    visitors = Indicator.objects.create(
        strategy=strategy,
        goal=goal,
        objective=objective,
        name_fi="Kävijät",
        name="Kävijät",
        unit_of_measure_fi="kpl",
    )
    Target.objects.create(indicator=visitors, year=2025, value=Decimal("1200"))
    Measurement.objects.create(indicator=visitors, year=2025, value=Decimal("1100.5"))
    Measurement.objects.create(
        indicator=visitors, year=2025, value=Decimal("7"), unit=world.unit_a
    )  # a unit's own: not written
    progress = Indicator.objects.create(
        strategy=strategy, goal=goal, name_fi="Eteneminen", kind=IndicatorKind.QUALITATIVE
    )
    for ordinal, label in enumerate(["ei aloitettu", "käynnissä", "valmis"]):
        ScaleLevel.objects.create(indicator=progress, ordinal=ordinal, label_fi=label, label=label)
    Target.objects.create(indicator=progress, year=2026, value=2)
    Measurement.objects.create(indicator=progress, year=2025, value=1)
    loose = Indicator.objects.create(strategy=strategy, name_fi="Tyytyväisyys")

    response = _download(world.owner, strategy)
    assert stratml_validate(response.content) == []
    root = fromstring(response.content)
    assert (
        root.tag == f"{{{PART2_NS}}}PerformancePlanOrReport"
        and root.get("Type") == "Performance_Report"
    )
    text = response.content.decode()
    assert (
        "<NumberOfUnits>1100.5</NumberOfUnits>" in text
        and "<NumberOfUnits>7</NumberOfUnits>" not in text
    )
    assert "<UnitOfMeasurement>ei aloitettu / käynnissä / valmis</UnitOfMeasurement>" in text
    assert "<DescriptorValue>käynnissä</DescriptorValue>" in text

    plan = stratml_read(response.content)
    copy = strategy_from_plan(
        plan.stored(), organisation=world.sector, user=world.owner, language="fi"
    )
    with translation.override("fi"):
        copied = {i.name: i for i in Indicator.objects.filter(strategy=copy)}
        assert set(copied) == {"Kävijät", "Eteneminen", "Tyytyväisyys"}
        assert (
            copied["Kävijät"].objective.title == "Osatavoite"
            and copied["Kävijät"].goal.title == "Tavoite"
        )
        assert (
            copied["Eteneminen"].objective is None and copied["Eteneminen"].goal.title == "Tavoite"
        )
        assert copied["Tyytyväisyys"].attached_to is None
        assert [level.label for level in copied["Eteneminen"].levels.all()] == [
            "ei aloitettu",
            "käynnissä",
            "valmis",
        ]
    assert list(copied["Eteneminen"].targets.values_list("year", "value")) == [(2026, 2)]
    assert list(copied["Kävijät"].measurements.values_list("year", "value")) == [
        (2025, Decimal("1100.5"))
    ]
    assert copy.goals.count() == 1 and loose.pk


def test_visions_values_focus_areas_and_loose_actions_survive_a_round_trip(world) -> None:
    strategy = world.strategy
    VisionFactory(strategy=strategy, label_fi="ulkoinen", text_fi="Kaupunki kukoistaa.")
    VisionFactory(strategy=strategy, label_fi="sisäinen", text_fi="Työ on hyvää.")
    PrincipleFactory(
        strategy=strategy,
        title_fi="Avoimuus",
        description_fi="Kerromme.",
        points_fi="näkyy johtamisessa\nnäkyy päätöksissä",
    )
    area = FocusAreaFactory(strategy=strategy, number="2", title_fi="Painopiste")
    ActionFactory(strategy=strategy, focus_area=area, number="2.1", title_fi="Toimi")
    ActionFactory(strategy=strategy, focus_area=None, title_fi="Irrallinen toimi")
    goal = GoalFactory(strategy=strategy, title_fi="Tavoite")
    StakeholderFactory(
        strategy=strategy, name_fi="Asukkaat", role_fi="Käyttävät palveluja"
    ).goals.add(goal)
    StakeholderFactory(strategy=strategy, name_fi="Yhdistykset")

    document = _download(world.owner, strategy).content
    assert (
        stratml_validate(document) == []
        and fromstring(document).tag == f"{{{PART1_NS}}}StrategicPlan"
    )
    copy = strategy_from_plan(
        stratml_read(document).stored(), organisation=world.sector, user=world.owner, language="fi"
    )
    with translation.override("fi"):
        assert [(v.label, v.text) for v in copy.visions.all()] == [
            ("ulkoinen", "Kaupunki kukoistaa."),
            ("sisäinen", "Työ on hyvää."),
        ]
        value = copy.principles.get()
        assert (value.title, value.description, value.point_list) == (
            "Avoimuus",
            "Kerromme.",
            ["näkyy johtamisessa", "näkyy päätöksissä"],
        )
        assert [
            (a.number, a.title, [x.title for x in a.actions.all()]) for a in copy.focus_areas.all()
        ] == [("2", "Painopiste", ["Toimi"])]
        assert list(
            copy.actions.filter(focus_area__isnull=True).values_list("title_fi", flat=True)
        ) == ["Irrallinen toimi"]
        assert {s.name: [g.title for g in s.goals.all()] for s in copy.stakeholders.all()} == {
            "Asukkaat": ["Tavoite"],
            "Yhdistykset": [],
        }


@pytest.mark.parametrize("copies", [1, 6])
def test_download_queries_do_not_grow_with_the_strategy(
    world, copies: int, django_assert_max_num_queries
) -> None:
    every_part(world.strategy, copies=copies)
    for n, goal in enumerate(Goal.objects.filter(strategy=world.strategy)):
        indicator = Indicator.objects.create(
            strategy=world.strategy, goal=goal, name_fi=f"Mittari {n}"
        )
        Target.objects.create(indicator=indicator, year=world.strategy.period_start, value=n)
        Measurement.objects.create(indicator=indicator, year=world.strategy.period_start, value=n)
    client = Client()
    client.force_login(world.owner)
    url = reverse("stratml-download", args=[world.strategy.slug])
    # 31 with one copy of every part and with six: the same number at both sizes.
    with django_assert_max_num_queries(31):
        response = client.get(url)
    assert response.status_code == 200 and stratml_validate(response.content) == []
