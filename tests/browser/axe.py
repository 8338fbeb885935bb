"""Run axe-core (shipped by axe-playwright-python, so it works offline) on a page.

``assert_accessible(page)`` fails with a readable list when axe finds any
WCAG 2.0/2.1 level A or AA violation.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_FILE_NAME, AXE_FILE_PATH, AXE_SCRIPT
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The live server serves axe-core's own file here during the browser tests
# (``axe_served`` in conftest.py): loaded by URL, the browser keeps it and its
# compiled code between the documents of a test, which halves what adding axe
# to a document costs compared with sending its 570 kB through the DevTools
# protocol each time.
AXE_FOLDER = AXE_FILE_PATH.parent
AXE_PREFIX = "axe-core"
AXE_PATH = f"{AXE_PREFIX}/{AXE_FILE_NAME}"

# Adds axe to a document of the live server by a script element (removed once
# loaded, so that the document is as it was); answers whether axe is there.
ADD_AXE = """(url) => new Promise((resolve) => {
    if (!/^https?:$/.test(location.protocol) || !document.head) return resolve(false);
    const script = document.createElement("script");
    const done = () => { script.remove(); resolve(Boolean(window.axe)); };
    script.addEventListener("load", done);
    script.addEventListener("error", done);
    script.src = url;
    document.head.append(script);
})"""


# Colour contrast is three quarters of axe's time, and most text on a page is
# styled like text on the pages checked before it (the header, the menus,
# table cells, buttons). Text whose colours and whose background are decided
# exactly as those of text that passed is therefore not checked again: axe's
# colour-contrast rule skips an element whose signature has passed before in
# this test process, and passes one whose signature passed earlier in the
# same run (a table's cells, a list's buttons: three in five of the
# evaluations in these tests were such repeats). The signature holds
# everything the rule reads: the element's text colour, size, weight, shadow
# and stroke, and for the element
# and each of its ancestors the background colour and image, opacity, filter,
# blending and pseudo-elements. Only an element whose background can only come
# from its ancestors gets a signature: none for an element that is (or sits
# in something) positioned out of the flow or transformed, or that overlaps
# an element positioned, floated or transformed outside its own line of
# ancestors. The text itself is not part of it: axe's ratio and threshold
# come from the colours, size and weight alone, and what the characters
# change (one character, symbols only, an empty field) is whether axe can
# decide at all. A signature is remembered only when axe computed a ratio and
# passed it, so what failed, or what axe could not decide (hidden, over an
# image), is checked wherever it appears.
CONTRAST_MEMO = """(() => {
    if (window.suuntaContrastMemo !== undefined) return window.suuntaContrastMemo;
    const audit = window.axe && window.axe._audit;
    const rule = audit && audit.rules.find((candidate) => candidate.id === "color-contrast");
    const check = audit && audit.checks["color-contrast"];
    if (!rule || !check || typeof rule.matches !== "function" || typeof check.evaluate !== "function") {
        return (window.suuntaContrastMemo = null);  // another axe: colour contrast checked in full
    }
    const memo = {known: new Set(), passed: new Set(), pending: new Map(), styles: new Map(),
        flow: new Map(), loose: null};
    const OWN = ["color", "font-size", "font-weight", "text-shadow", "-webkit-text-stroke-width",
        "-webkit-text-stroke-color", "-webkit-text-fill-color"];
    const LAYER = ["background-color", "background-image", "background-clip", "opacity", "filter",
        "mix-blend-mode", "backdrop-filter", "visibility"];
    const PSEUDO = ["content", "position", "background-color", "background-image", "opacity"];
    const read = (style, names) => names.map((name) => style.getPropertyValue(name)).join("|");
    const layer = (element) => {
        let text = memo.styles.get(element);
        if (text === undefined) {
            text = read(getComputedStyle(element), LAYER);
            for (const pseudo of ["::before", "::after"]) {
                const style = getComputedStyle(element, pseudo);
                if (style.getPropertyValue("content") !== "none") text += pseudo + read(style, PSEUDO);
            }
            memo.styles.set(element, text);
        }
        return text;
    };
    const outOfFlow = (element) => {
        let loose = memo.flow.get(element);
        if (loose === undefined) {
            const style = getComputedStyle(element);
            loose = ["absolute", "fixed", "sticky"].includes(style.position)
                || style.transform !== "none" || style.float !== "none"
                || (style.position === "relative" && (style.zIndex !== "auto"
                    || ["top", "right", "bottom", "left"].some((side) => !["auto", "0px"].includes(style[side]))));
            memo.flow.set(element, loose);
        }
        return loose;
    };
    // Elements that may lie over or under text that is not inside them, with their boxes.
    const looseElements = () => {
        if (memo.loose === null) {
            memo.loose = [];
            for (const element of document.querySelectorAll("body *")) {
                if (outOfFlow(element)) memo.loose.push([element, element.getBoundingClientRect()]);
            }
        }
        return memo.loose;
    };
    // A short name for a long signature (53 bits: no two of a run's few
    // thousand signatures share one).
    const digest = (text) => {
        let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
        for (let i = 0; i < text.length; i++) {
            const code = text.charCodeAt(i);
            h1 = Math.imul(h1 ^ code, 2654435761);
            h2 = Math.imul(h2 ^ code, 1597334677);
        }
        h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
        h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
        return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
    };
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const signature = (node) => {
        const parts = [node.matches("input, select, textarea") ? node.nodeName + node.type : "",
            read(getComputedStyle(node), OWN)];
        for (let element = node; element; element = element.parentElement) {
            if (outOfFlow(element)) return null;
            parts.push(layer(element));
        }
        const loose = looseElements();
        if (loose.length) {
            const box = node.getBoundingClientRect();
            for (const [element, rect] of loose) {
                if (element.contains(node) || node.contains(element)) continue;
                if (overlaps(box, rect)) return null;
            }
        }
        return digest(parts.join("/"));
    };
    const matches = rule.matches;
    rule.matches = function (node, ...rest) {
        if (!matches.call(this, node, ...rest)) return false;
        const key = signature(node);
        if (key === null) return true;
        if (memo.known.has(key)) return false;
        memo.pending.set(node, key);
        return true;
    };
    const evaluate = check.evaluate;
    check.evaluate = function (node, ...rest) {
        const known = memo.pending.get(node);
        // Styled like an element that passed earlier in this run.
        if (known !== undefined && memo.passed.has(known)) return true;
        let data;
        const setData = this.data;
        this.data = (value) => { data = value; return setData.call(this, value); };
        const result = evaluate.call(this, node, ...rest);
        this.data = setData;
        const key = memo.pending.get(node);
        if (key !== undefined && result === true && data && !data.messageKey
                && typeof data.contrastRatio === "number") {
            memo.passed.add(key);
        }
        return result;
    };
    memo.start = (known) => {
        memo.known = new Set(known);
        memo.passed = new Set();
        memo.pending = new Map();
        memo.styles = new Map();
        memo.flow = new Map();
        memo.loose = null;
    };
    return (window.suuntaContrastMemo = memo);
})()"""

# A link in a block of text passes axe's link-in-text-block rule when either
# of its two checks passes: its colour differs enough from the text's (a
# costly look at both colours and backgrounds, a tenth of axe's time in these
# tests), or its style differs (underlined, bordered…). Links whose style
# already tells them apart are therefore left out of the rule: the colour
# check would not change their result. A link told apart by colour alone is
# checked as axe does.
LINK_SHORTCUT = """(() => {
    if (window.suuntaLinkShortcut) return;
    window.suuntaLinkShortcut = true;
    const audit = window.axe._audit;
    const rule = audit.rules.find((candidate) => candidate.id === "link-in-text-block");
    const style = audit.checks["link-in-text-block-style"];
    if (!rule || !style || typeof rule.matches !== "function" || typeof style.evaluate !== "function"
            || rule.any.length !== 2 || !rule.any.some((check) => (check.id || check) === style.id)) {
        return;  // another axe: the rule runs in full
    }
    const quiet = {data() {}, relatedNodes() {}};
    const matches = rule.matches;
    rule.matches = function (node, ...rest) {
        if (!matches.call(this, node, ...rest)) return false;
        return style.evaluate.call(quiet, node, style.options, rest[0]) !== true;
    };
})()"""

# One round trip: run axe if the document has it, answer null if it has not.
# With ``swedishWithoutContrast`` a Swedish document is checked without the
# colour-contrast rule (see ``axe_violations``). It answers the violations
# and the contrast signatures that passed in this run.
RUN_AXE = """([context, options, swedishWithoutContrast, passed]) => {
    if (!window.axe) return null;
    if (swedishWithoutContrast && document.documentElement.lang === "sv") {
        options = {...options, rules: {"color-contrast": {enabled: false}}};
    }
    LINK_SHORTCUT;
    const memo = CONTRAST_MEMO;
    if (memo) memo.start(passed);
    return window.axe.run(context ?? document, options).then(
        (results) => [results.violations, memo ? Array.from(memo.passed) : []]
    );
}""".replace("CONTRAST_MEMO", CONTRAST_MEMO).replace("LINK_SHORTCUT", LINK_SHORTCUT)

# Contrast signatures that passed in this test process (see CONTRAST_MEMO).
_contrast_passed: set[str] = set()


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
    arguments = [context, options, contrast is None, list(_contrast_passed)]
    answer = _evaluate_when_loaded(page, RUN_AXE, arguments)
    if answer is None:
        if not _evaluate_when_loaded(page, ADD_AXE, f"{settings.STATIC_URL}{AXE_PATH}"):
            # A document of no server (``set_content``): injected through the
            # DevTools protocol, so that the page's CSP does not block it.
            _evaluate_when_loaded(page, AXE_SCRIPT)
        answer = _evaluate_when_loaded(page, RUN_AXE, arguments)
    violations, passed = answer
    _contrast_passed.update(passed)
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
