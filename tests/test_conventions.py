"""One way to do each thing, checked by reading the code.

- Views choose between a page and its htmx fragment only through
  ``strategy.htmx`` (``render_page``, ``wants_fragment``, ``redirect_page``):
  no other module reads ``request.htmx``.
- Views and template tags never decide who may do what by looking at roles,
  memberships or the superuser flag themselves: they ask the scoping querysets
  (``visible_to``, ``owned_by``…) or the person's access object
  (``strategy.access``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent for path in ROOT.glob("*/apps.py"))
HTMX_POLICY = {ROOT / "strategy" / "htmx.py"}
# Middleware answers htmx requests with HX-Redirect before any view runs.
MIDDLEWARE = {ROOT / "accounts" / "middleware.py"}

ROLE_CHECKS = [
    re.compile(pattern)
    for pattern in (
        r"\buser\.is_superuser\b",
        r"Membership\.objects\.for_user",
        r"memberships__user\b",
        r"memberships__role\b",
        r"\bm(embership)?\.role\s*(==|in\b)",
    )
]


def app_modules() -> list[Path]:
    return sorted(
        path for app in APPS for path in app.rglob("*.py") if "migrations" not in path.parts
    )


def view_and_tag_modules() -> list[Path]:
    return [
        path
        for path in app_modules()
        if path.name == "views.py" or "views" in path.parent.parts[-1:] or "templatetags" in path.parts
    ]


def test_the_apps_are_found() -> None:
    names = {app.name for app in APPS}
    assert {"strategy", "indicators", "maturity", "reports", "public", "demo"} <= names
    assert len(view_and_tag_modules()) > 15


def test_only_the_htmx_policy_reads_request_htmx() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in app_modules()
        if path not in HTMX_POLICY | MIDDLEWARE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "request.htmx" in line
    ]
    assert offenders == [], "use strategy.htmx.render_page / wants_fragment instead"


@pytest.mark.parametrize("path", view_and_tag_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_views_and_tags_ask_the_access_object_or_the_querysets(path: Path) -> None:
    offenders = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(pattern.search(line) for pattern in ROLE_CHECKS)
    ]
    assert offenders == [], "ask strategy.access.access_for(user) or a scoping queryset"
