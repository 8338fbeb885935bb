"""Mark translations outdated whose source text changed, before Suunta kept
marks, after they were written (read from the history of changes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from strategy.models import Strategy
from translations.services import translation_marks_from_history


class Command(BaseCommand):
    help = "Mark translations written against an older source text as outdated, from the history of changes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strategy", help="the slug of one strategy (default: every strategy)")

    def handle(self, *args: Any, **options: Any) -> None:
        strategies = Strategy.objects.order_by("pk")
        if options["strategy"]:
            strategies = strategies.filter(slug=options["strategy"])
        total = 0
        for strategy in strategies:
            total += translation_marks_from_history(strategy=strategy)
        self.stdout.write(f"{total} translations marked outdated.")
