"""The indicator page's chart is drawn once for the same values, language
and indicator, and again as soon as any of them changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from indicators import views
from indicators.services import measurement_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def charts_drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []
    original = views.indicator_chart_svg

    def counting(**arguments: Any) -> str:
        drawn.append(arguments["title"])
        return original(**arguments)

    monkeypatch.setattr(views, "indicator_chart_svg", counting)
    return drawn


def _page(world, indicator, language: str = "en") -> str:
    client = Client()
    client.force_login(world.owner)
    url = reverse("indicator-detail", args=[world.strategy.slug, indicator.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_chart_is_drawn_once(world, satisfaction, charts_drawn: list[str]) -> None:
    first = _page(world, satisfaction)
    assert len(charts_drawn) == 1
    assert _page(world, satisfaction).count("<svg") == first.count("<svg")
    assert len(charts_drawn) == 1


def test_a_new_value_a_new_decimal_and_another_language_draw_it_again(world, satisfaction, charts_drawn: list[str]) -> None:
    _page(world, satisfaction)
    measurement_record(indicator=satisfaction, year=2024, unit=None, value=Decimal("84.5"), user=world.owner)
    page = _page(world, satisfaction)
    assert len(charts_drawn) == 2
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "84.5" in chart
    satisfaction.decimals = 2
    satisfaction.save()
    _page(world, satisfaction)
    assert len(charts_drawn) == 3
    _page(world, satisfaction, language="fi")
    assert len(charts_drawn) == 4
