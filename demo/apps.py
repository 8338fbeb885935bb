from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The seed strategies, demo people and demo figures (no models of its own)."""

    name = "demo"
