"""``python manage.py load_demo``: the five seed strategies, demo people and
demo figures. Safe to run again: the second run changes nothing."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from demo.loader import STRATEGY_SLUGS, demo_load
from demo.personas import PASSWORD, PERSONAS
from indicators.models import Indicator, Measurement
from maturity.models import Rating, SelfAssessment
from strategy.models import Action, AnnualPlan, Organisation, PlanItem, ProgressUpdate, Strategy


class Command(BaseCommand):
    help = "Load the five seed strategies with demo people (password suunta-demo) and demo figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is False. The demo people have a public password.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo strategies (with their plans, figures and reports) before loading.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The personas' password is public: never create them in production by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is False: refusing to create demo accounts with a public password. "
                "Use --force if this really is a demo server."
            )
        started = time.monotonic()
        loader = demo_load(reset=options["reset"])
        elapsed = time.monotonic() - started

        created = sum(loader.created.values())
        updated = sum(loader.updated.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {created} rows created, {updated} updated."
            )
        )
        strategies = Strategy.objects.filter(slug__in=STRATEGY_SLUGS)
        counts: list[tuple[str, type[Model], dict[str, Any]]] = [
            ("strategies", Strategy, {"slug__in": STRATEGY_SLUGS}),
            ("organisations", Organisation, {}),
            ("actions", Action, {"strategy__in": strategies}),
            ("indicators", Indicator, {"strategy__in": strategies}),
            ("measurements", Measurement, {"indicator__strategy__in": strategies}),
            ("annual plans", AnnualPlan, {"strategy__in": strategies}),
            ("plan items", PlanItem, {"plan__strategy__in": strategies}),
            ("progress updates", ProgressUpdate, {"item__plan__strategy__in": strategies}),
            ("self-assessments", SelfAssessment, {"round__model__strategy__in": strategies}),
            ("ratings", Rating, {"assessment__round__model__strategy__in": strategies}),
        ]
        self.stdout.write(
            "  "
            + ", ".join(
                f"{model._default_manager.filter(**lookup).count()} {label}"
                for label, model, lookup in counts
            )
        )
        for strategy in strategies.select_related("organisation").order_by("organisation__path"):
            self.stdout.write(
                f"  /strategies/{strategy.slug}/  {strategy.title} ({strategy.get_status_display()})"
            )
        names = ", ".join(username for username, *_ in PERSONAS[:5])
        self.stdout.write(f"  Sign in as {names} (and more staff) with the password {PASSWORD!r}.")
        if "admin" in loader.users:
            self.stdout.write(f"  Superuser: admin / {PASSWORD!r} (SUUNTA_DEMO_ADMIN=True).")
