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
        # An operation opened: its parameters, request body and responses.
        page.locator(".opblock-summary-patch .opblock-summary-control").first.click()
        expect(page.locator(".opblock-patch .opblock-body").first).to_be_visible()
        assert_accessible(page)
        page.set_viewport_size(PHONE)
        assert_accessible(page)
    finally:
        context.close()


def _switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_profile_api_token_section_passes_axe(world, page, login):  # type: ignore[no-untyped-def]
    """The token section of the profile page in Finnish and Swedish, on a
    phone too: the list, the form's error, and a new token shown once (htmx)."""
    from api.services import api_token_create

    api_token_create(user=world.head, name="Viikkotuonti", valid_days=90)
    login(page, "head")
    for language in ["fi", "sv"]:
        page.goto("/profile/")
        if page.locator("html").get_attribute("lang") != language:
            _switch_language(page, language)
        section = page.locator("#api-tokens")
        expect(section.locator("tbody tr")).to_have_count(1)
        assert_accessible(page)

        form = section.locator("form[hx-post$='/profile/api-tokens/']")
        form.evaluate("form => { form.noValidate = true; }")
        form.locator("[type=submit]").click()
        expect(page.locator("#api-tokens [role=alert]")).to_be_visible()
        assert_accessible(page)

        page.locator("#api-tokens input[name=name]").fill(f"Skripti {language}")
        page.locator("#api-tokens form[hx-post$='/profile/api-tokens/'] [type=submit]").click()
        expect(page.locator("#api-new-token")).to_be_visible()
        assert page.locator("#api-new-token").input_value().startswith("suunta_")
        assert_accessible(page)
        page.set_viewport_size(PHONE)
        assert_accessible(page)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        page.set_viewport_size({"width": 1280, "height": 900})

        page.locator("#api-tokens tbody tr").first.locator("button").click()
        expect(page.locator("#api-tokens [role=status]")).to_be_visible()
        assert_accessible(page)
