"""The API's documentation page renders Swagger UI under the CSP and passes axe in Finnish and Swedish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_api_docs_page_renders_under_the_csp_and_passes_axe(browser, live_server, language):
    context = browser.new_context(
        base_url=live_server.url,
        locale=f"{language}-FI",
        extra_http_headers={"Accept-Language": language},
    )
    try:
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto("/api/v1/docs/")
        assert response is not None and response.ok
        expect(page.locator("html")).to_have_attribute("lang", language)
        # Swagger UI fetched the schema and drew the operations.
        expect(page.locator(".opblock-tag-section").first).to_be_visible(timeout=20_000)
        expect(page.locator("text=/api/v1/plan-items/{id}/").first).to_be_attached()
        assert not violations, violations
        assert not errors, errors
        assert_accessible(page)
        page.set_viewport_size(PHONE)
        assert_accessible(page)
    finally:
        context.close()
