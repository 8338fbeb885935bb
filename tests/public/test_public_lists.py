"""The public pages at a city's size: the strategy page shows each focus
area's first actions and leads to the action list, which pages through every
approved action by focus area; the indicator list reads values for the page
it shows only. Queries do not grow with the data."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement
from indicators.views import PAGE_SIZE
from public import services
from public.views import ACTIONS_SHOWN
from strategy import clock
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Organisation,
    PlanItem,
    Strategy,
    StrategyVersion,
)
from tests.factories import ActionFactory, AnnualPlanFactory, FocusAreaFactory, PlanItemFactory

from .test_public_pages import approve, publish

pytestmark = pytest.mark.django_db


def _grow(strategy: Strategy, *, areas: int, per_area: int, loose: int = 0, indicators: int = 0) -> None:
    """Focus areas with actions, loose actions and indicators; approved and published anew."""
    for n in range(areas):
        area = FocusAreaFactory(strategy=strategy, title=f"Alue {n}", order=n)
        Action.objects.bulk_create(
            [Action(strategy=strategy, focus_area=area, title=f"Toimi {n}.{k:03}", order=k) for k in range(per_area)]
        )
    Action.objects.bulk_create([Action(strategy=strategy, title=f"Irrallinen {k:03}", order=k) for k in range(loose)])
    Indicator.objects.bulk_create(
        [Indicator(strategy=strategy, name=f"Mittari {k:03}", order=k) for k in range(indicators)]
    )
    for indicator in Indicator.objects.filter(strategy=strategy):
        Measurement.objects.get_or_create(indicator=indicator, year=2024, defaults={"value": 1})
    StrategyVersion.objects.filter(strategy=strategy).delete()
    approve(strategy)
    publish(strategy)


def _args(world) -> list[str]:  # type: ignore[no-untyped-def]
    return [world.sector.slug, world.strategy.slug]


def test_strategy_page_shows_each_areas_first_actions_and_links_to_all(client, world) -> None:
    _grow(world.strategy, areas=2, per_area=ACTIONS_SHOWN + 3, loose=ACTIONS_SHOWN + 1)
    body = client.get(reverse("public-strategy", args=_args(world))).content.decode()
    assert f"Toimi 0.{ACTIONS_SHOWN - 1:03}" in body and f"Toimi 0.{ACTIONS_SHOWN:03}" not in body
    assert f"Irrallinen {ACTIONS_SHOWN - 1:03}" in body and f"Irrallinen {ACTIONS_SHOWN:03}" not in body
    actions = reverse("public-action-list", args=_args(world))
    area = FocusArea.objects.get(strategy=world.strategy, title="Alue 0")
    assert f'href="{actions}?focus_area={area.pk}"' in body
    assert f"All {ACTIONS_SHOWN + 3} actions of the focus area" in body
    assert f'href="{actions}?focus_area=none"' in body and f"All {ACTIONS_SHOWN + 1} other actions" in body


def test_action_list_pages_through_every_approved_action_of_an_area(client, world) -> None:
    _grow(world.strategy, areas=2, per_area=PAGE_SIZE + 5)
    ActionFactory(strategy=world.strategy, title="Hyväksymätön")  # after approval: not public
    area = FocusArea.objects.get(strategy=world.strategy, title="Alue 1")
    url = reverse("public-action-list", args=_args(world))
    first = client.get(url, {"focus_area": area.pk})
    second = client.get(url, {"focus_area": area.pk, "page": 2})
    titles = [
        f"Toimi 1.{k:03}"
        for k in range(PAGE_SIZE + 5)
        if f"Toimi 1.{k:03}" in first.content.decode() + second.content.decode()
    ]
    assert len(titles) == PAGE_SIZE + 5
    assert "Toimi 0." not in first.content.decode() + second.content.decode()
    assert first.context["count"] == PAGE_SIZE + 5 and "page=2" in first.content.decode()
    everything = client.get(url, {"page": 3}).content.decode()
    assert "Hyväksymätön" not in everything
    assert client.get(url, {"focus_area": "nonsense"}).context["count"] == 2 * (PAGE_SIZE + 5)


def test_action_list_htmx_filter_returns_the_list_fragment(client, world) -> None:
    _grow(world.strategy, areas=1, per_area=3)
    response = client.get(reverse("public-action-list", args=_args(world)), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="action-table">')
    assert "<html" not in body


def test_indicator_list_reads_values_of_the_page_shown_only(client, world, monkeypatch) -> None:
    _grow(world.strategy, areas=0, per_area=0, indicators=PAGE_SIZE + 4)
    url = reverse("public-indicator-list", args=_args(world))
    read: list[int] = []
    real = services.indicators_for_list
    monkeypatch.setattr(services, "indicators_for_list", lambda qs, **kw: read.append(len(found := real(qs, **kw))) or found)
    response = client.get(url)
    assert response.context["count"] == PAGE_SIZE + 4 and len(response.context["rows"]) == PAGE_SIZE
    assert read == [PAGE_SIZE]
    last = client.get(url, {"page": 2})
    assert [row["indicator"].name for row in last.context["rows"]] == [f"Mittari {k:03}" for k in range(PAGE_SIZE, PAGE_SIZE + 4)]
    # Filtered by status, every indicator is judged and the matching ones paged.
    assert client.get(url, {"status": "achieved"}).context["rows"] == []
    assert len(client.get(url, {"status": "no_data", "page": 2}).context["rows"]) == 4


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("public-strategy", {}),
        ("public-action-list", {}),
        ("public-action-list", {"page": "2"}),
        ("public-indicator-list", {}),
    ],
)
def test_query_counts_are_the_same_at_two_sizes(client, world, name, query) -> None:
    counts = []
    for size in (1, 6):
        _grow(world.strategy, areas=2, per_area=size * ACTIONS_SHOWN, loose=size * 3, indicators=size * 20)
        client.get(reverse(name, args=_args(world)), query)  # warm caches (content types)
        caches["template_fragments"].clear()
        with CaptureQueriesContext(connection) as first:
            assert client.get(reverse(name, args=_args(world)), query).status_code == 200
        with CaptureQueriesContext(connection) as again:
            assert client.get(reverse(name, args=_args(world)), query).status_code == 200
        counts.append((len(first), len(again)))
    assert counts[0] == counts[1] and counts[0][0] <= 8 and counts[0][1] <= 7


def test_strategy_page_shows_new_progress_and_new_names_at_once(client, world) -> None:
    _grow(world.strategy, areas=1, per_area=2)
    action = Action.objects.filter(strategy=world.strategy).order_by("pk").first()
    url = reverse("public-strategy", args=_args(world))
    assert "Not in an approved plan this year." in client.get(url).content.decode()
    plan = AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, year=clock.current_year(world.strategy), status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(plan=plan, action=action, status=PlanItem.Status.ON_TRACK, progress=40)
    assert "Progress 40 %" in client.get(url).content.decode()
    PlanItem.objects.filter(plan=plan).update(progress=45)
    assert "Progress 45 %" in client.get(url).content.decode()
    Organisation.objects.filter(pk=world.sector.pk).update(name="Uusi toimiala")
    assert "Uusi toimiala" in client.get(url).content.decode()
    Strategy.objects.filter(pk=world.strategy.pk).update(decision_reference="99 §")
    assert "99 §" in client.get(url).content.decode()


def test_action_list_shows_the_approved_title_and_new_progress_at_once(client, world) -> None:
    _grow(world.strategy, areas=1, per_area=2)
    Strategy.objects.filter(pk=world.strategy.pk).update(title="Luonnosnimi", title_en="Draft title")
    url = reverse("public-action-list", args=_args(world))
    body = client.get(url).content.decode()
    assert "Kulttuuristrategia" in body and "Luonnosnimi" not in body and "Draft title" not in body
    plan = AnnualPlanFactory(
        strategy=world.strategy, unit=world.unit_a, year=clock.current_year(world.strategy), status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(plan=plan, action=Action.objects.filter(strategy=world.strategy).first(), progress=30)
    body = client.get(url).content.decode()
    assert "Progress 30 %" in body and "Draft title" not in body


def test_indicator_list_shows_a_new_value_at_once(client, world) -> None:
    _grow(world.strategy, areas=0, per_area=0, indicators=2)
    url = reverse("public-indicator-list", args=_args(world))
    assert "1 (2024)" in client.get(url).content.decode()
    Measurement.objects.filter(indicator__strategy=world.strategy, year=2024).first().delete()
    indicator = Indicator.objects.filter(strategy=world.strategy).order_by("order").first()
    Measurement.objects.create(indicator=indicator, year=2025, value=7)
    body = client.get(url).content.decode()
    assert "7 (2025)" in body
