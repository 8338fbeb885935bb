"""Sections that other apps add to everyone's profile page (the API app its
personal tokens), so that the page imports nothing of theirs.

A section is a function of the request that answers the context its part of
the profile template reads; apps register it from their ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

SectionContext = Callable[[HttpRequest], dict[str, Any]]

SECTIONS: list[SectionContext] = []


def register_profile_section(context: SectionContext) -> None:
    if context not in SECTIONS:
        SECTIONS.append(context)


def sections_context(request: HttpRequest) -> dict[str, Any]:
    """The context of every registered section, in the order they were registered."""
    merged: dict[str, Any] = {}
    for context in SECTIONS:
        merged.update(context(request))
    return merged
