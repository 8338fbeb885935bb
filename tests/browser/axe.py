"""Run axe-core (shipped by axe-playwright-python, so it works offline) on a page.

``assert_accessible(page)`` fails with a readable list when axe finds any
WCAG 2.0/2.1 level A or AA violation.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error as PlaywrightError

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# One round trip: run axe if the document has it, answer null if it has not.
# With ``swedishWithoutContrast`` a Swedish document is checked without the
# colour-contrast rule (see ``axe_violations``).
RUN_AXE = """([context, options, swedishWithoutContrast]) => {
    if (!window.axe) return null;
    if (swedishWithoutContrast && document.documentElement.lang === "sv") {
        options = {...options, rules: {"color-contrast": {enabled: false}}};
    }
    return window.axe.run(context ?? document, options).then((results) => results.violations);
}"""


def with_axe(context: Any) -> None:
    """Add axe-core to every document that the browser ``context`` loads from now on.

    Added through the DevTools protocol before the page's own scripts, so the
    page's CSP does not block it, and sent to the browser once instead of for
    every page checked. Pages of other contexts still get it on their first check.
    """
    context.add_init_script(script=AXE_SCRIPT)


# What Chromium answers when a script runs while a link's click is still
# replacing the document: the check runs again on the new document.
_NAVIGATING = ("Execution context was destroyed", "reading 'documentElement'")


def _evaluate_when_loaded(page: Any, script: str, argument: Any = None) -> Any:
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return page.evaluate(script, argument)
        except PlaywrightError as error:
            if attempt == 2 or not any(text in str(error) for text in _NAVIGATING):
                raise
    raise AssertionError("unreachable")


def axe_violations(
    page: Any, *, context: str | list | dict | None = None, contrast: bool | None = None
) -> list[dict[str, Any]]:
    """The raw axe violations for the page (or the part of it given by ``context``).

    ``contrast=False`` leaves out the colour-contrast rule (three quarters of
    axe's time), for a second look at a page whose colours were checked in
    another language: text colours do not depend on the language. By default
    (``None``) it is left out of Swedish pages only: the tests that check a
    page in Swedish check it in Finnish too (their ``language`` parameters),
    and the page sweep checks every page's colours (test_page_coverage.py).
    """
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if contrast is False:
        options["rules"] = {"color-contrast": {"enabled": False}}
    # Arguments are passed as JSON values (the library's own runner splices
    # Python reprs into the script, which breaks on dict contexts).
    arguments = [context, options, contrast is None]
    violations = _evaluate_when_loaded(page, RUN_AXE, arguments)
    if violations is None:
        # Injected through the DevTools protocol, so the page's CSP does not block it.
        _evaluate_when_loaded(page, AXE_SCRIPT)
        violations = _evaluate_when_loaded(page, RUN_AXE, arguments)
    return list(violations)


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violated rule: id, impact, help text, URL and the failing nodes."""
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation.get('help')} ({violation.get('helpUrl')})"
        )
        for node in violation.get("nodes", []):
            target = ", ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
            lines.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_accessible(
    page: Any, *, context: str | list | dict | None = None, contrast: bool | None = None
) -> None:
    """Fail the test if axe reports any WCAG 2.1 A/AA violation on ``page``
    (colour contrast as ``axe_violations`` says)."""
    violations = axe_violations(page, context=context, contrast=contrast)
    if violations:
        pytest.fail(
            f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations),
            pytrace=False,
        )
