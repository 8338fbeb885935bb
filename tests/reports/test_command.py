"""python manage.py render_report: the report without the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.services import report_render, report_snapshot_build
from tests.factories import OrganisationFactory

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_command_renders_the_unit_report_by_strategy_id(report_world, tmp_path: Path) -> None:
    output = tmp_path / "unit.pdf"
    call_command(
        "render_report",
        strategy=str(report_world.strategy.pk),
        year=2024,
        unit=report_world.unit_a.pk,
        language="fi",
        output=str(output),
    )
    expected = report_render(
        snapshot=report_snapshot_build(
            strategy=report_world.strategy, year=2024, to_year=None, unit=report_world.unit_a, language="fi"
        )
    )
    assert output.read_bytes() == expected
    text = pdf_text(expected, tmp_path)
    assert "Lukupiirejä pidettiin kaksitoista." in text
    assert "Senioripäiviä siirrettiin syksyyn." not in text  # the museum is not under the library


def test_council_term_report_covers_every_year_of_the_range(report_world, tmp_path: Path) -> None:
    output = tmp_path / "term.pdf"
    call_command(
        "render_report", strategy=report_world.strategy.slug, year=2022, to_year=2025, language="en", output=str(output)
    )
    text = pdf_text(output.read_bytes(), tmp_path)
    assert "2022\u20132025" in text
    assert "Lukupiirejä pidettiin kaksitoista." in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"strategy": "no-such-strategy", "year": 2024}, "No strategy"),
        ({"year": 2025, "to_year": 2024}, "--to-year cannot be before --year"),
    ],
)
def test_command_refuses_bad_arguments(report_world, tmp_path: Path, options: dict, message: str) -> None:
    arguments = {"strategy": report_world.strategy.slug, "language": "fi", "output": str(tmp_path / "x.pdf"), **options}
    with pytest.raises(CommandError, match=message):
        call_command("render_report", **arguments)
    assert not (tmp_path / "x.pdf").exists()


def test_command_refuses_a_unit_outside_the_strategys_organisation(report_world, tmp_path: Path) -> None:
    elsewhere = OrganisationFactory()
    with pytest.raises(CommandError, match="No unit"):
        call_command(
            "render_report", strategy=report_world.strategy.slug, year=2024, unit=elsewhere.pk, language="fi", output=str(tmp_path / "x.pdf")
        )
