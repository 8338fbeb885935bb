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

import ast
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


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in the module, at top level or inside a
    function, ``import_module("…")`` included; relative imports stay inside
    the app and are not listed."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def test_strategy_imports_nothing_from_the_other_apps() -> None:
    # The dependency points the other way: the other apps fill in strategy's
    # registries and hooks from their AppConfig.ready().
    strategy = ROOT / "strategy"
    others = {app.name for app in APPS} - {"strategy"}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {module}"
        for path in sorted(strategy.rglob("*.py"))
        if "migrations" not in path.relative_to(strategy).parts
        for number, module in _imported_modules(ast.parse(path.read_text(), str(path)))
        if module.split(".")[0] in others
    ]
    assert offenders == [], "register from the other app's AppConfig.ready() instead:\n" + "\n".join(offenders)


def test_the_registrations_of_the_other_apps_keep_the_order_of_the_pages() -> None:
    """Indicators and maturity fill strategy's registries from their ready():
    the editor's sections, the versions' kinds and the history tab's groups
    and tables are listed as before they moved out."""
    from strategy import history
    from strategy.editor import KINDS
    from strategy.versions import KIND_ORDER

    assert list(KINDS)[-2:] == ["stakeholder", "indicator"]
    assert KIND_ORDER == [
        "vision", "principle", "target-state", "choice", "trade-off", "perspective", "goal",
        "objective", "spearhead", "focus-area", "action", "indicator", "stakeholder", "section",
    ]  # fmt: skip
    assert [key for key, _label in history.GROUPS] == ["parts", "indicators", "values", "maturity", "levels", "people"]
    assert [source.key for source in history.sources()][-12:] == [
        "indicator", "scale-level", "target", "measurement", "maturity-model", "level",
        "dimension", "criterion", "agreed-level", "target-level", "organisation", "membership",
    ]  # fmt: skip
