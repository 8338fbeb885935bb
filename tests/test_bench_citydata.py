"""The benchmarks' data builder runs, and every page the page benchmark times
opens for its persona, so that ``bench/pages.py`` and ``bench/load.py`` keep
working as the pages change."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import citydata
import pages

pytestmark = pytest.mark.django_db


def test_tiny_city_builds_and_every_benchmarked_page_opens() -> None:
    from strategy.models import AnnualPlan, Organisation, PlanItem

    city = citydata.build(citydata.TINY)
    assert Organisation.objects.count() == 1 + 1 + 2
    assert AnnualPlan.objects.count() == 2 * 2 and PlanItem.objects.count() == 4 * 3
    assert len(city.item_ids) == 3

    clients = pages.clients(city)
    for page in pages.PAGES:
        response = clients[page.persona].get(page.url(city))
        assert response.status_code == 200, (page.name, response.status_code)


def test_the_load_bench_finds_the_plan_item_forms_version_and_token() -> None:
    import load

    city = citydata.build(citydata.TINY)
    from django.urls import reverse

    response = pages.clients(city)["head"].get(reverse("plan-item-edit", args=[city.item_ids[0]]))
    html = response.content.decode()
    assert load._CSRF.search(html) and load._VERSION.search(html)
