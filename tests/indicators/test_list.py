"""The indicator list: grouping, status badges, filters, and a query count that does not grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from strategy.models import SustainableDevelopmentGoal
from tests.factories import PerspectiveFactory

pytestmark = pytest.mark.django_db


def _make(world, count: int) -> None:
    perspectives = [PerspectiveFactory(strategy=world.strategy, order=i) for i in range(3)]
    sdg = SustainableDevelopmentGoal.objects.get_or_create(number=11, defaults={"name": "Kestävät kaupungit"})[0]
    indicators = Indicator.objects.bulk_create(
        Indicator(strategy=world.strategy, name=f"Mittari {i}", perspective=perspectives[i % 3], baseline_value=Decimal(10), baseline_year=2021)
        for i in range(count)
    )
    Measurement.objects.bulk_create(
        Measurement(indicator=i, year=year, value=Decimal(10 + year - 2021), unit=unit)
        for i in indicators
        for year in (2022, 2023)
        for unit in (None, world.unit_a)
    )
    Target.objects.bulk_create(Target(indicator=i, year=2027, value=Decimal(20)) for i in indicators)
    for indicator in indicators[:5]:
        indicator.sdgs.add(sdg)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_is_the_same_for_10_and_500_indicators(world) -> None:
    client = Client()
    client.force_login(world.owner)
    url = reverse("indicator-list", args=[world.strategy.slug])
    # The first request after signing in checks the second factor and renews the session once.
    client.get(url)
    _make(world, 10)
    small = _queries(client, url)
    _make(world, 490)
    assert Indicator.objects.count() == 500
    large = _queries(client, url)
    assert small == large, (small, large)
    assert large <= 18


def test_list_groups_and_shows_badges_with_text(world, visitors, satisfaction) -> None:
    perspective = PerspectiveFactory(strategy=world.strategy, name="Asiakas")
    satisfaction.perspective = perspective
    satisfaction.save()
    client = Client(headers={"Accept-Language": "fi"})
    client.force_login(world.viewer)
    html = client.get(reverse("indicator-list", args=[world.strategy.slug])).content.decode()
    assert "<h2" in html and "Asiakas" in html
    assert 'class="badge badge--' in html
    assert "Asiakastyytyväisyys" in html and "Kävijämäärä" in html
    assert "72,5\u00a0%" in html
    assert "direction--increase" in html


def test_sdg_filter_narrows_the_list(world, visitors, satisfaction) -> None:
    sdg = SustainableDevelopmentGoal.objects.get_or_create(number=3, defaults={"name": "Terveyttä ja hyvinvointia"})[0]
    satisfaction.sdgs.add(sdg)
    client = Client()
    client.force_login(world.viewer)
    html = client.get(reverse("indicator-list", args=[world.strategy.slug]) + "?sdg=3").content.decode()
    assert "Asiakastyytyväisyys" in html and "Kävijämäärä" not in html


def test_sdg_filter_page_lists_indicators_and_actions(world, visitors, satisfaction) -> None:
    from tests.factories import ActionFactory

    sdg = SustainableDevelopmentGoal.objects.get_or_create(number=4, defaults={"name": "Hyvä koulutus"})[0]
    action = ActionFactory(strategy=world.strategy, title="Lukudiplomi")
    action.sdgs.add(sdg)
    visitors.sdgs.add(sdg)
    ActionFactory(strategy=world.strategy, title="Muu toimenpide")
    client = Client()
    client.force_login(world.viewer)
    html = client.get(reverse("sdg-filter", args=[world.strategy.slug]) + "?sdg=4").content.decode()
    assert "Lukudiplomi" in html and "Kävijämäärä" in html
    assert "Muu toimenpide" not in html and "Asiakastyytyväisyys" not in html


def test_unseen_strategy_list_is_404(world) -> None:
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    world.strategy.status = "draft"
    world.strategy.save()
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=OrganisationFactory(slug="muu"), role="owner")
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("indicator-list", args=[world.strategy.slug])).status_code == 404


def test_hostile_indicator_name_is_text_in_the_list_and_its_charts(world, visitors) -> None:
    """The charts are inlined as markup, but the names in them are escaped by
    the chart library: a name is never HTML."""
    visitors.name_fi = visitors.name_en = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    visitors.save()
    client = Client()
    client.force_login(world.owner)
    for url in (
        reverse("indicator-list", args=[world.strategy.slug]),
        reverse("indicator-detail", args=[world.strategy.slug, visitors.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert" in page
