"""Render a council report without the browser or a worker.

    python manage.py render_report --strategy <id or slug> --year 2024 \
        [--to-year 2025] [--unit <id>] --language fi --output report.pdf

Uses the same snapshot builder and renderer as the worker, so the document is
the same as one ordered in the browser on the same day.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.services import report_render, report_snapshot_build
from strategy.models import Organisation, Strategy


class Command(BaseCommand):
    help = "Render a strategy's annual or council-term report to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strategy", required=True, help="Strategy id or slug.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--to-year", type=int, default=None, help="Last year of a council-term report.")
        parser.add_argument("--unit", type=int, default=None, help="Id of a unit: report on its subtree only.")
        parser.add_argument("--language", default="fi", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--output", required=True, help="Where to write the PDF ('-' for standard output).")
        parser.add_argument("--snapshot", default=None, help="Also write the data snapshot (JSON) here.")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["strategy"]
        lookup = {"pk": int(key)} if str(key).isdigit() else {"slug": key}
        try:
            strategy = Strategy.objects.select_related("organisation").get(**lookup)
        except Strategy.DoesNotExist as exc:
            raise CommandError(f"No strategy {key!r}.") from exc
        year, to_year = options["year"], options["to_year"]
        if to_year is not None and to_year < year:
            raise CommandError("--to-year cannot be before --year.")
        unit = None
        if options["unit"] is not None:
            unit = Organisation.objects.below(strategy.organisation).filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit {options['unit']} under {strategy.organisation}.")
        snapshot = report_snapshot_build(
            strategy=strategy, year=year, to_year=to_year, unit=unit, language=options["language"]
        )
        content = report_render(snapshot=snapshot)
        if options["snapshot"]:
            Path(options["snapshot"]).write_text(json.dumps(snapshot, ensure_ascii=False, indent=2), encoding="utf-8")
        if options["output"] == "-":
            self.stdout.buffer.write(content)  # type: ignore[attr-defined]
            return
        Path(options["output"]).write_bytes(content)
        self.stderr.write(f"Wrote {len(content)} bytes to {options['output']}.")
