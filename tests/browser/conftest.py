"""Browser fixtures: Debian's Chromium driven by Playwright against ``live_server``.

Only tests under ``tests/browser`` see these fixtures, and the browser is
closed when the last of them has run, so Playwright's event loop never runs
during the rest of the suite.
The browser is Debian's headless shell of Chromium (apt package
``chromium-headless-shell``): the same engine as ``/usr/bin/chromium`` without
the desktop browser around it, which took more than half of the browser
tests' processor time. A browser downloaded by ``playwright install`` is never
used; ``SUUNTA_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.factories import PASSWORD

from .axe import AXE_FOLDER, AXE_PREFIX
from .session import sign_in_context

# Playwright's sync API runs an asyncio loop in this thread; Django refuses
# ORM calls from a thread with a running loop unless this is set. It must be
# set before live_server starts and before any test touches the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("SUUNTA_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The compositor's (software) drawing in the browser process instead of
    # a process of its own: a twelfth less of Chromium's work per page.
    "--in-process-gpu",
    # A document of its own for each navigation (back/forward cache, browsing
    # instance swaps) costs a fifth of Chromium's time per page load; the
    # tests go forward only and check no cached pages.
    "--disable-features=BackForwardCache,ProactivelySwapBrowsingInstance,RenderDocument",
]

LoginFunction = Callable[..., None]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser`` so ``-m "not browser"`` skips them all."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One headless Chromium for all tests in this folder.

    Package scope, not session scope: while Playwright's sync API is active
    its asyncio loop counts as running in this thread, which would break
    tests that run after the browser tests (``asyncio.run``, Django's
    async-safety checks). Closing it at the end of the folder keeps it contained.
    """
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium-headless-shell'.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="package", autouse=True)
def axe_served() -> Iterator[None]:
    """The live server also serves axe-core's file (``axe.AXE_PATH``) while
    the browser tests run, so that ``axe_violations`` loads it by URL."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, (AXE_PREFIX, AXE_FOLDER)]):
        yield


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    """A fresh page in a fresh context (no cookies) whose base URL is the live server.

    axe-core is added to a document when a test first checks it
    (``axe_violations``, from the live server's copy, see ``axe_served``):
    most documents a test opens are only walked through, and compiling axe
    into each of them cost a tenth of Chromium's work.
    """
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="fi-FI",
        extra_http_headers={"Accept-Language": "fi-FI,fi;q=0.9"},
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


@pytest.fixture
def login(live_server: object) -> LoginFunction:
    """Return ``login(page, username)``, which signs the page's browser context in.

    It makes a session the way the login view does (``django.contrib.auth.login``,
    so the sign-in is logged as usual) and gives the browser its cookie; no page
    is opened, so the test goes straight to the page it is about. The second
    factor is still asked for on the next request (``SecondFactorMiddleware``).
    Tests of signing in itself use ``login_by_form``.
    """

    def _login(page: object, username: str) -> None:
        sign_in_context(page.context, username, live_server.url)  # type: ignore[attr-defined]

    return _login


@pytest.fixture
def login_by_form() -> LoginFunction:
    """Return ``login_by_form(page, username, password=PASSWORD)``, which signs in
    through the login form and leaves the page where the form sent it."""

    def _login(page: object, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")  # type: ignore[attr-defined]
        page.locator("input[name='username']").fill(username)  # type: ignore[attr-defined]
        page.locator("input[name='password']").fill(password)  # type: ignore[attr-defined]
        with page.expect_navigation():  # type: ignore[attr-defined]
            page.locator("form:has(input[name='password']) [type='submit']").click()  # type: ignore[attr-defined]
        if "/accounts/login/" in page.url:  # type: ignore[attr-defined]
            pytest.fail(f"Logging in as {username!r} failed: still on the login page.")

    return _login
