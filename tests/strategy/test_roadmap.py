"""The roadmap: actions by focus area, horizon and year."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from strategy.models import Action
from tests.factories import PASSWORD, ActionFactory, FocusAreaFactory, StrategyFactory


def test_helsinki_style_roadmap_without_focus_areas_reads_by_horizon(world) -> None:
    strategy = StrategyFactory(organisation=world.sector, slug="digi", period_start=2021, period_end=2025)
    ActionFactory(strategy=strategy, focus_area=None, title="Verkkokokoelmat auki", horizon=Action.Horizon.SHORT, start_year=2021, end_year=2021)
    ActionFactory(strategy=strategy, focus_area=None, title="Yhteinen asiakasrekisteri", horizon=Action.Horizon.MEDIUM, start_year=2022, end_year=2025)
    client = Client()
    client.login(username="viewer", password=PASSWORD)
    response = client.get(reverse("roadmap", args=["digi"]))
    assert response.status_code == 200
    [group] = response.context["results"].groups
    assert group.title == "Actions"
    assert [(h.value, [r.action.title for r in h.rows]) for h in group.horizons] == [
        ("short", ["Verkkokokoelmat auki"]),
        ("medium", ["Yhteinen asiakasrekisteri"]),
    ]
    assert group.horizons[1].rows[0].cells == [False, True, True, True, True]
    body = response.content.decode()
    short, medium = body.index("horizon-heading horizon--short"), body.index("horizon-heading horizon--medium")
    assert short < body.index("Verkkokokoelmat auki") < medium < body.index("Yhteinen asiakasrekisteri")
    assert "Focus area" not in body


def test_roadmap_groups_by_focus_area_and_hides_what_is_not_used(world) -> None:
    area = FocusAreaFactory(strategy=world.strategy, title="Saavutettava palveluverkko")
    ActionFactory(strategy=world.strategy, focus_area=area, title="Kirjastoauto", start_year=2023, end_year=2024)
    ActionFactory(strategy=world.strategy, focus_area=None, title="Irrallinen", start_year=None, end_year=None)
    client = Client()
    client.login(username="head", password=PASSWORD)
    response = client.get(reverse("roadmap", args=[world.strategy.slug]))
    titles = [group.title for group in response.context["results"].groups]
    assert titles == [str(area), "Other actions"]
    assert not response.context["results"].uses_horizons
    assert "Short term" not in response.content.decode()


def test_roadmap_of_an_unseen_draft_strategy_is_404(world) -> None:
    hidden = StrategyFactory(slug="salainen", status="draft")
    client = Client()
    client.login(username="otherhead", password=PASSWORD)
    assert client.get(reverse("roadmap", args=[hidden.slug])).status_code == 404
