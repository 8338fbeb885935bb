"""The unit history chart: an SVG without scripts, with a title and a description."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maturity.charts import unit_history_svg
from maturity.models import AssessmentRound
from tests.factories import PASSWORD

from .conftest import agree, open_round

pytestmark = pytest.mark.django_db


def test_history_chart_is_accessible_svg_without_script(world, matrix):
    for year, levels in ((2023, [1, 1, 2, 1, 1]), (2024, [2, 2, 3, 1, 1])):
        agree(open_round(matrix, [world.unit_a], year=year, status=AssessmentRound.Status.CLOSED), world.unit_a, levels)

    svg = unit_history_svg(model=matrix.model, unit=world.unit_a)

    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<script" not in svg
    assert 'role="img"' in svg
    assert "<title" in svg and "Maturity of Kirjasto over the years" in svg
    assert "<desc" in svg and "1 Visio 2027: 2023 Alkava, 2024 Kehittyvä" in svg


def test_history_page_has_chart_and_table(world, matrix):
    agree(open_round(matrix, [world.unit_a], year=2024, status=AssessmentRound.Status.CLOSED), world.unit_a, [2, 2, 3, 1, 1])
    client = Client()
    client.login(username="head", password=PASSWORD)
    page = client.get(reverse("maturity-unit-history", args=[world.strategy.slug, world.unit_a.slug])).content.decode()
    assert "<svg" in page and "<table" in page and "Hyvä" in page
    other = Client()
    other.login(username="otherhead", password=PASSWORD)
    assert other.get(reverse("maturity-unit-history", args=[world.strategy.slug, world.unit_a.slug])).status_code == 404


def test_history_chart_renders_in_a_weasyprint_pdf(world, matrix):
    from weasyprint import HTML

    agree(open_round(matrix, [world.unit_a], year=2024, status=AssessmentRound.Status.CLOSED), world.unit_a, [2, 2, 3, 1, 1])
    svg = unit_history_svg(model=matrix.model, unit=world.unit_a, width=600, height=320)

    pdf = HTML(string=f"<html><body><h1>Kirjasto</h1>{svg}</body></html>").write_pdf()

    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
