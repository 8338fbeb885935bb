"""Helpers of the demo tests: run ``load_demo`` as a person would, and count rows."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.management import call_command

DEMO_PASSWORD = "suunta-demo"


def run(*args: str, **options: object) -> str:
    """Run ``load_demo`` (forced, as DEBUG is off in tests) and return what it printed."""
    out = StringIO()
    call_command("load_demo", *args, force=True, stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}
