"""The indicator page: facts, an accessible SVG chart per unit, a data table, the grid for editors."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from indicators.charts import indicator_chart_svg, sparkline_svg

pytestmark = pytest.mark.django_db


def _get(world, username: str, indicator) -> str:
    """The page as a Finnish user sees it (numbers grouped and with decimal commas)."""
    client = Client(headers={"Accept-Language": "fi"})
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("indicator-detail", args=[world.strategy.slug, indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_chart_svg_has_title_desc_and_no_script() -> None:
    svg = indicator_chart_svg(
        title="Kävijät", description="Kuvaus", years=[2022, 2023], series=[("Toteuma", [1, None], "actual")]
    )
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<script" not in svg
    assert re.search(r'role="img" aria-labelledby="(svg-\w+)-title \1-desc"', svg)
    assert re.search(r'<title id="svg-\w+-title">Kävijät</title><desc id="svg-\w+-desc">Kuvaus</desc>', svg)
    assert ">Pygal<" not in svg


def test_sparkline_is_small_and_accessible() -> None:
    svg = sparkline_svg(values=[1, 2, 3], title="Trendi", description="2022: 1")
    assert "<script" not in svg and "<title" in svg and len(svg) < 4000


def test_page_has_chart_per_unit_and_data_table(world, visitors) -> None:
    html = _get(world, "viewer", visitors)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # library and museum, no total
    assert "<title" in html and "<desc" in html
    assert '<table class="indicator-data">' in html and '<caption id="indicator-data-caption">' in html
    assert 'colspan="2">Kirjasto' in html and 'colspan="2">Museo' in html
    assert "1\u00a0100" in html  # Finnish grouping
    assert "<form" not in html.split('id="indicator-body"')[1] or "cell-form" not in html  # a viewer gets no grid


def test_head_sees_an_input_for_their_unit_only(world, visitors) -> None:
    html = _get(world, "head", visitors)
    assert f'id="actual-{world.unit_a.pk}-2025"' in html
    assert f'id="actual-{world.unit_b.pk}-2025"' not in html
    assert 'id="actual-total-2025"' not in html
    assert "target-" not in html.split("grid-table")[-1] or 'id="target-' not in html


def test_owner_sees_totals_units_and_targets(world, visitors) -> None:
    html = _get(world, "owner", visitors)
    assert 'id="actual-total-2025"' not in html  # broken down by unit: no empty total column
    assert f'id="actual-{world.unit_b.pk}-2025"' in html
    assert f'id="target-{world.unit_a.pk}-2025"' in html


def test_totals_chart_has_target_path_and_baseline(world, satisfaction) -> None:
    html = _get(world, "owner", satisfaction)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert "Baseline 2021" in html or "Lähtötaso 2021" in html
    assert 'id="actual-total-2022"' in html and 'value="72,5"' in html


def test_other_strategy_indicator_is_404(world, visitors) -> None:
    from tests.factories import StrategyFactory

    other = StrategyFactory(organisation=world.sector, slug="toinen")
    client = Client()
    client.force_login(world.owner)
    assert client.get(reverse("indicator-detail", args=[other.slug, visitors.pk])).status_code == 404


def test_htmx_get_returns_only_the_body(world, visitors) -> None:
    client = Client()
    client.force_login(world.viewer)
    response = client.get(reverse("indicator-detail", args=[world.strategy.slug, visitors.pk]), headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="indicator-body"')


def test_several_charts_on_one_page_repeat_no_id(world, visitors) -> None:
    html = _get(world, "owner", visitors)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_legend_has_room_in_a_chart_with_two_lines() -> None:
    svg = indicator_chart_svg(
        title="t", description="d", years=[2022, 2023], series=[("Toteuma", [1, 2], "actual"), ("Tavoite", [1, 3], "target")]
    )
    y = float(re.search(r'translate\([\d.]+, ([\d.]+)\)" class="legends"', svg).group(1))
    assert y < 350  # inside the 360-pixel-high picture with its labels


def test_the_same_svg_renders_in_a_weasyprint_pdf() -> None:
    from weasyprint import HTML

    svg = indicator_chart_svg(
        title="Kävijät", description="Kuvaus", years=[2022, 2023], series=[("Toteuma", [1, 2], "actual"), ("Tavoite", [1, 3], "target")]
    )
    pdf = HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
