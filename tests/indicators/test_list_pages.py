"""The indicator list at city scale: pages, filters that keep each other,
an export of the whole filtered set, light sparklines, and a query count
that does not grow with the data (issue 14)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators.charts import sparkline_svg
from indicators.models import Indicator, Measurement, Target
from indicators.views import PAGE_SIZE
from strategy import clock
from tests.factories import FocusAreaFactory, PerspectiveFactory
from tests.public.test_public_pages import approve, publish

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def _make(world, count: int, *, start: int = 0) -> list[Indicator]:  # type: ignore[no-untyped-def]
    """``count`` indicators over two perspectives and two focus areas; every
    third is kept per unit (the library); even ones reach their target."""
    perspectives = list(world.strategy.perspectives.all()) or [
        PerspectiveFactory(strategy=world.strategy, name=name, order=i) for i, name in enumerate(("Asukas", "Talous"))
    ]
    areas = list(world.strategy.focus_areas.all()) or [
        FocusAreaFactory(strategy=world.strategy, title=title) for title in ("Lukeminen", "Liikunta")
    ]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            strategy=world.strategy,
            name=f"Mittari {n:03d}",
            order=n,
            perspective=perspectives[n % 2],
            focus_area=areas[(n // 2) % 2],
            direction="increase",
            baseline_year=2022,
            baseline_value=Decimal(10),
        )
        for n in range(start, start + count)
    )
    Target.objects.bulk_create(Target(indicator=i, year=2025, value=Decimal(20)) for i in indicators)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=i,
            year=year,
            unit=world.unit_a if (i.order % 3 == 0 and year == 2024) else None,
            value=Decimal(25 if i.order % 2 == 0 else 11) if year == 2025 else Decimal(12),
        )
        for i in indicators
        for year in (2023, 2024, 2025)
    )
    return indicators


def _names(html: str) -> list[str]:
    return re.findall(r">(Mittari \d{3})</a>", html)


@pytest.fixture
def owner_client(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.owner)
    client.get(reverse("indicator-list", args=[world.strategy.slug]))  # the second-factor check renews the session once
    return client


def _get(client: Client, url: str, **headers: str) -> str:
    with clock.fixed(TODAY):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("count", [10, 120])
def test_query_count_is_pinned_at_10_and_120_indicators(
    world, owner_client, django_assert_max_num_queries, count
) -> None:  # type: ignore[no-untyped-def]
    _make(world, count)
    url = reverse("indicator-list", args=[world.strategy.slug])
    for query in ("", "?page=2", "?status=achieved", f"?unit={world.unit_a.pk}&year=2024"):
        with django_assert_max_num_queries(18):
            html = _get(owner_client, url + query)
        assert len(_names(html)) <= PAGE_SIZE
    assert "Status as of 2024" in html


def test_page_two_shows_the_rows_page_one_does_not_and_every_indicator_is_reachable(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    made = _make(world, 120)
    url = reverse("indicator-list", args=[world.strategy.slug])
    first = _get(owner_client, url)
    assert len(_names(first)) == PAGE_SIZE
    assert "Page 1 of 3" in first and 'rel="next"' in first and "showing 1–50" in first
    seen: list[str] = []
    for number in (1, 2, 3):
        seen += _names(_get(owner_client, f"{url}?page={number}"))
    assert not set(_names(first)) & set(_names(_get(owner_client, f"{url}?page=2")))
    assert sorted(seen) == sorted(i.name for i in made)


def test_filters_narrow_the_list_and_page_links_keep_them(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    _make(world, 120)
    url = reverse("indicator-list", args=[world.strategy.slug])
    perspective = world.strategy.perspectives.get(name="Asukas")
    area = world.strategy.focus_areas.get(title="Lukeminen")
    by_perspective = _get(owner_client, f"{url}?perspective={perspective.pk}")
    assert "60 indicators" in by_perspective
    # The next page's link carries the filter, with and without htmx.
    assert f'href="{url}?perspective={perspective.pk}&amp;page=2"' in by_perspective
    assert f'hx-get="{url}?perspective={perspective.pk}&amp;page=2"' in by_perspective
    second = _names(_get(owner_client, f"{url}?perspective={perspective.pk}&page=2"))
    assert len(second) == 10 and all(int(name[-3:]) % 2 == 0 for name in second)
    both = _names(_get(owner_client, f"{url}?perspective={perspective.pk}&focus_area={area.pk}"))
    assert both and all(int(name[-3:]) % 4 == 0 for name in both)
    achieved = _get(owner_client, f"{url}?status=achieved")
    assert "60 indicators" in achieved
    off = _names(_get(owner_client, f"{url}?status=off_track"))
    assert off and all(int(name[-3:]) % 2 == 1 for name in off)
    # Kept per unit: the indicators the library reports.
    unit = _names(_get(owner_client, f"{url}?unit={world.unit_a.pk}"))
    assert unit and all(int(name[-3:]) % 3 == 0 for name in unit)
    # Judged as of 2023 nothing is achieved yet.
    assert "No indicator matches the chosen filters." in _get(owner_client, f"{url}?year=2023&status=achieved")


def test_htmx_gets_the_table_only_and_caches_keep_them_apart(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    _make(world, 60)
    url = reverse("indicator-list", args=[world.strategy.slug]) + "?page=2"
    with clock.fixed(TODAY):
        response = owner_client.get(url, headers={"HX-Request": "true"})
        restore = owner_client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="indicator-table">') and "<html" not in fragment
    assert len(_names(fragment)) == 10
    assert "HX-Request" in response["Vary"]
    assert "<html" in restore.content.decode()


def test_export_of_a_filtered_list_has_all_its_indicators_not_one_page(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    _make(world, 120)
    url = reverse("indicator-list", args=[world.strategy.slug])
    html = _get(owner_client, f"{url}?status=achieved&page=2")
    export = re.search(r'href="([^"]*export\.csv[^"]*)"', html)
    assert export is not None and "page=" not in export.group(1) and "status=achieved" in export.group(1)
    body = _get(owner_client, export.group(1).replace("&amp;", "&")).lstrip("\ufeff")
    dialect = csv.Sniffer().sniff(body.splitlines()[0])
    ids = {row["indicator_id"] for row in csv.DictReader(io.StringIO(body), dialect=dialect)}
    assert len(ids) == 60
    everything = _get(owner_client, reverse("indicator-export-csv", args=[world.strategy.slug])).lstrip("\ufeff")
    assert len({row["indicator_id"] for row in csv.DictReader(io.StringIO(everything), dialect=dialect)}) == 120


def test_sparkline_is_plain_accessible_svg_without_inline_styles() -> None:
    svg = sparkline_svg(values=[Decimal(1), None, Decimal(3), Decimal(4)], title='<b>"Lainat"</b>', description="2022: 1 & 2")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert re.search(r'aria-labelledby="(spark-\w+)-title \1-desc"', svg)
    assert "&lt;b&gt;&quot;Lainat&quot;&lt;/b&gt;" in svg and "1 &amp; 2" in svg
    assert "style" not in svg and "<script" not in svg and "pygal" not in svg
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 2  # a lone value, then the latest
    assert len(svg) < 1000


def test_list_page_is_light(world, owner_client) -> None:  # type: ignore[no-untyped-def]
    _make(world, 120)
    html = _get(owner_client, reverse("indicator-list", args=[world.strategy.slug]))
    assert html.count('class="sparkline-chart"') == PAGE_SIZE
    assert len(html) < 150_000


def test_public_list_pages_through_every_indicator(client, world) -> None:  # type: ignore[no-untyped-def]
    made = _make(world, 60)
    approve(world.strategy)
    publish(world.strategy)
    url = reverse("public-indicator-list", args=[world.sector.slug, world.strategy.slug])
    first = _get(client, url)
    second = _get(client, f"{url}?page=2")
    assert len(_names(first)) == PAGE_SIZE and len(_names(second)) == 10
    assert sorted(_names(first) + _names(second)) == sorted(i.name for i in made)
    achieved = _get(client, f"{url}?status=achieved")
    assert len(_names(achieved)) == 30
