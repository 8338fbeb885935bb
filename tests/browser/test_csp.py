"""The Content Security Policy in Chromium: no main page, and no htmx swap
into one, makes the browser refuse a style, a script or anything else."""

from __future__ import annotations

import pytest

from tests.accounts.test_headers import demo_pages
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the violations the page reports, from the first script on.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def pages(world, settings, tmp_path) -> list[tuple[str, str]]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return demo_pages(world)


def _signed_in(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name='username']").fill(username)
    page.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name='password']) [type='submit']").click()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    return context, page


def test_main_pages_and_htmx_swaps_break_no_policy(browser, live_server, pages) -> None:
    console: list[str] = []
    violations: list[str] = []
    for username in dict.fromkeys(username for username, _ in pages):
        context, page = _signed_in(browser, live_server, username)
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        try:
            for _, url in (entry for entry in pages if entry[0] == username):
                response = page.goto(url)
                page.wait_for_load_state("load")
                assert "unsafe-inline" not in response.headers["content-security-policy"]
                violations += [f"{url}: {item}" for item in page.evaluate("window.__violations")]
                if "/indicators/" in url and not url.rstrip("/")[-1].isdigit():
                    # The list's filter swaps the table (with its sparklines) in place.
                    with page.expect_response(lambda response: "indicators" in response.url):
                        page.locator("#id_group").select_option(index=1)
                    page.locator("#indicator-table svg").first.wait_for()
                    violations += [f"{url} (swap): {item}" for item in page.evaluate("window.__violations")]
        finally:
            context.close()
    assert violations == []
    refused = [line for line in console if "Content Security Policy" in line or "Permissions-Policy" in line]
    assert refused == []
