"""Signing in in Chromium: the login page, the lockout page, setting up
two-step sign-in and the code page all work and pass axe."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def submit_login(page, username: str, password: str) -> None:
    page.locator("input[name='username']").fill(username)
    page.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name='password']) [type='submit']").click()


def test_login_page_offers_password_reset_and_is_accessible(page, world) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main a[href='/accounts/password_reset/']").click()
    assert page.locator("input[name='email']").is_visible()
    assert_accessible(page)


def test_lockout_page_is_accessible(page, world) -> None:
    page.goto("/accounts/login/")
    for _ in range(3):
        submit_login(page, "head", "wrong-password")
    assert page.locator("h1").count() == 1
    assert page.locator("[role='alert']").inner_text().strip()
    assert "15" in page.locator("[role='alert']").inner_text()
    assert_accessible(page)


def test_setting_up_two_step_sign_in_is_accessible(page, login_by_form, world, settings) -> None:
    settings.SUUNTA_OWNER_REQUIRE_TOTP = True
    login_by_form(page, "owner")
    # An owner without a device lands on the setup page.
    assert page.url.endswith("/accounts/security/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("form[action$='/security/totp/start/'] [type='submit']").click()
    image = page.locator("img[src^='data:image/svg+xml']")
    assert image.is_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".totp-secret").inner_text().strip()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=world.owner)
    page.locator("input[name='code']").fill(current_code(device))
    with page.expect_navigation():
        page.locator("form[action$='/security/totp/confirm/'] [type='submit']").click()
    assert page.locator(".message--success").is_visible()
    assert_accessible(page)
    page.goto("/")
    assert "/accounts/" not in page.url


def test_code_page_is_accessible_and_lets_the_person_in(page, login_by_form, world) -> None:
    device = TOTPDevice.objects.create(user=world.head, name="Suunta", confirmed=True)
    login_by_form(page, "head")
    assert "/accounts/security/code/" in page.url
    assert_accessible(page)
    page.locator("input[name='code']").fill("000000" if current_code(device) != "000000" else "111111")
    with page.expect_navigation():
        page.locator("main form [type='submit']").click()
    assert page.locator("#code-errors").is_visible()
    assert page.locator("input[name='code']").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    device.refresh_from_db()
    device.throttle_reset()
    page.locator("input[name='code']").fill(current_code(device))
    with page.expect_navigation():
        page.locator("main form [type='submit']").click()
    assert "/accounts/" not in page.url
