"""The login page with single sign-on configured: the provider's button, and axe."""

from __future__ import annotations

import pytest

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_with_single_sign_on_shows_the_providers_button_and_passes_axe(page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_RP_CLIENT_ID = "suunta"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.SUUNTA_OIDC_PROVIDER_NAME = "Helsingin Entra ID"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.fi/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.fi/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.fi/keys"

    page.goto("/accounts/login/?next=/my-units/")

    button = page.get_by_role("link", name="Helsingin Entra ID")
    assert button.is_visible()
    assert button.get_attribute("href") == "/oidc/authenticate/?next=/my-units/"
    assert_accessible(page)


def test_login_page_without_single_sign_on_has_no_providers_button(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    assert page.locator("a[href^='/oidc/']").count() == 0
