"""Every page of the service is checked with axe, in Finnish and in Swedish,
and fits a phone: the registry (``page_registry.py``) must name every URL
pattern, and every page it registers passes axe in both languages, with
``<html lang>`` set, at desktop width in Swedish and at 390 px in Finnish
(Finnish for the phone because its long compound words are what push a
narrow layout sideways), together with its htmx states.

The demo data is loaded once, and each persona signs in once (a session
cookie, see ``session.py``) in one browser tab whose cookies are cleared
between personas; the language is set by the language cookie as the
language form does.
"""

from __future__ import annotations

import fnmatch
import importlib
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from .axe import axe_violations, format_violations
from .page_registry import (
    ANONYMOUS,
    EXEMPT_NAMESPACES,
    MATCHING,
    PAGES,
    CoveredBy,
    Page,
    entry_for,
    pages,
)
from .session import set_language, sign_in_context

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# (language, viewport): every page is checked with axe in each of these.
PASSES = [("sv", DESKTOP), ("fi", PHONE)]
# Colour contrast (three quarters of axe's time) is checked in the first pass
# only: text colours do not change with the language, nor with the width (the
# stylesheet's narrow-screen rules set no colours, see the test below).
CONTRAST_PASS = PASSES[0]


def url_pattern_names(
    patterns: list[Any] | None = None, namespace: str = ""
) -> Iterator[tuple[str | None, str]]:
    """(name with namespace or None, route) of every pattern, included ones too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            for name, route in url_pattern_names(pattern.url_patterns, inner):
                yield name, f"{pattern.pattern}{route}"
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, str(pattern.pattern)


def exempt_namespace(name: str | None, route: str) -> bool:
    top = (name or "").split(":")[0] if name and ":" in name else None
    if top in EXEMPT_NAMESPACES:
        return True
    # Unnamed patterns of an exempted namespace (the admin's catch-all) have no name to go by.
    return name is None and any(
        route.startswith(f"{namespace}/") for namespace in EXEMPT_NAMESPACES
    )


def test_every_url_pattern_has_a_registry_entry() -> None:
    missing = []
    unnamed = []
    for name, route in url_pattern_names():
        if exempt_namespace(name, route):
            continue
        if name is None:
            unnamed.append(route)
        elif entry_for(name) is None:
            missing.append(f"{name} ({route})")
    assert not unnamed, f"URL patterns without a name cannot be checked; name them: {unnamed}"
    assert not missing, (
        "These URL patterns have no entry in tests/browser/page_registry.py "
        f"(see its docstring): {', '.join(sorted(set(missing)))}"
    )


def test_registry_names_only_existing_url_patterns() -> None:
    names = {name for name, _route in url_pattern_names()}
    stale = sorted(set(PAGES) - names)
    assert not stale, f"page_registry.py names URL patterns that no longer exist: {stale}"
    unused = [
        pattern
        for pattern in MATCHING
        if not any(name and fnmatch.fnmatchcase(name, pattern) for name in names)
    ]
    assert not unused, f"page_registry.py has patterns that match no URL name: {unused}"


def test_every_referenced_test_exists() -> None:
    for name, entry in PAGES.items():
        if not isinstance(entry, CoveredBy):
            continue
        path, _, function = entry.test.partition("::")
        assert path.startswith("tests/") and path.endswith(".py") and function, (
            f"{name}: {entry.test!r} is not 'tests/…/test_x.py::test_name'"
        )
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, function, None)), f"{name}: {entry.test} does not exist"


def test_narrow_screen_rules_change_no_colours() -> None:
    """What lets colour contrast be checked at desktop width only."""
    from django.conf import settings

    stylesheet = (settings.BASE_DIR / "static" / "suunta" / "suunta.css").read_text()
    narrow = re.findall(r"@media[^{]*max-width[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", stylesheet)
    assert narrow, "the stylesheet has no narrow-screen rules any more: update this test"
    for block in narrow:
        for declaration in re.findall(r"([\w-]+)\s*:\s*([^;}]+)", block):
            prop, value = declaration[0], declaration[1].strip()
            assert not prop.endswith("color") and prop != "color", f"narrow screens set {prop}: {value}"
            if prop.startswith("background"):
                assert value == "transparent", f"narrow screens set {prop}: {value}"


def test_every_page_entry_names_a_persona_and_a_url_builder() -> None:
    from demo.personas import PERSONAS

    usernames = {username for username, *_ in PERSONAS} | {ANONYMOUS}
    for name, page in pages():
        assert page.persona in usernames, f"{name}: unknown persona {page.persona!r}"
        assert callable(page.url), f"{name}: url must be a function"


# -- The browser test ----------------------------------------------------------------


def check(tab: Any, language: str, viewport: dict[str, int], what: str) -> list[str]:
    """The problems on the page as it is now: axe violations, a wrong or missing
    ``lang``, and sideways scrolling on a phone."""
    problems = []
    lang, width, screen = tab.evaluate(
        "() => [document.documentElement.lang, document.documentElement.scrollWidth, window.innerWidth]"
    )
    if lang != language:
        problems.append(f"{what}: <html lang={lang!r}>, expected {language!r}")
    violations = axe_violations(tab, contrast=(language, viewport) == CONTRAST_PASS)
    if violations:
        problems.append(
            f"{what}: axe found {len(violations)} violation(s):\n{format_violations(violations)}"
        )
    if viewport is PHONE and width > screen:
        problems.append(f"{what}: {width} px wide on a {screen} px screen (scrolls sideways)")
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_registered_page_passes_axe_in_finnish_and_swedish_and_fits_a_phone(
    browser: Any, live_server: Any
) -> None:
    call_command("load_demo", force=True, verbosity=0)
    problems: list[str] = []
    urls = {}
    for name, page in pages():
        try:
            urls[(name, page.persona)] = page.url()
        except Exception as error:
            problems.append(f"{name}: its url() failed: {error!r}")

    by_persona: dict[str, list[tuple[str, Page]]] = defaultdict(list)
    for name, page in pages():
        by_persona[page.persona].append((name, page))

    # One tab for all: each persona starts without cookies (a new tab costs
    # as much as a page load; the pages keep nothing in the browser's storage).
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        for persona, entries in by_persona.items():
            context.clear_cookies()
            if persona != ANONYMOUS:
                sign_in_context(context, persona, live_server.url)
            for language, viewport in PASSES:
                set_language(context, live_server.url, language)
                tab.set_viewport_size(viewport)
                for name, page in entries:
                    if (name, persona) not in urls:
                        continue
                    url = urls[(name, persona)]
                    what = f"{name} as {persona or 'anonymous'} ({language}, {viewport['width']} px) {url}"
                    response = tab.goto(url)
                    if response is None or response.status != 200:
                        problems.append(f"{what}: answered {response and response.status}")
                        continue
                    problems += check(tab, language, viewport, what)
                    for index, state in enumerate(page.states):
                        if index:  # the first state starts from the page just checked
                            tab.goto(url)
                        try:
                            state.open(tab)
                        except Exception as error:
                            problems.append(
                                f"{what} [{state.name}]: could not open the state: {error}"
                            )
                            continue
                        problems += check(tab, language, viewport, f"{what} [{state.name}]")
    finally:
        context.close()
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems), pytrace=False)
