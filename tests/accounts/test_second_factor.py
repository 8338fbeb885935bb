"""TOTP as a second factor: owners must pass it when SUUNTA_OWNER_REQUIRE_TOTP
is on, anyone may turn it on, and single sign-on is not asked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_totp(settings):
    settings.SUUNTA_OWNER_REQUIRE_TOTP = True


def device_for(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Suunta", confirmed=confirmed)


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 1) % 1_000_000:06d}"


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})




def test_owner_with_a_device_must_give_a_code_before_any_page(client, world, owner_totp) -> None:
    device_for(world.owner)
    response = sign_in(client, "owner")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("totp-verify"))
    for url in ("/", reverse("strategy-detail", args=[world.strategy.slug]), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("totp-verify")), url
    page = client.get(reverse("totp-verify"))
    assert page.status_code == 200
    assert "Enter your sign-in code" in page.text


def test_correct_code_lets_the_owner_in_and_back_to_the_page(client, world, owner_totp, security_events) -> None:
    device = device_for(world.owner)
    sign_in(client, "owner")
    wanted = reverse("strategy-detail", args=[world.strategy.slug])
    response = client.get(wanted)
    assert response.url == f"{reverse('totp-verify')}?next={wanted.replace('/', '%2F')}"
    response = client.post(reverse("totp-verify"), {"code": code(device), "next": wanted})
    assert response.status_code == 302
    assert response.url == wanted
    assert client.get(wanted).status_code == 200
    assert client.get("/").status_code == 200
    assert "totp.success" in [e["event"] for e in security_events()]


def test_wrong_code_is_refused(client, world, owner_totp, security_events) -> None:
    device = device_for(world.owner)
    sign_in(client, "owner")
    response = client.post(reverse("totp-verify"), {"code": wrong_code(device)})
    assert response.status_code == 422
    assert "That code is not right" in response.text
    assert client.get("/").status_code == 302
    failed = [e for e in security_events() if e["event"] == "totp.failed"]
    assert failed and failed[0]["username"] == "owner"


def test_wrong_codes_are_throttled(client, world, owner_totp, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code
    device = device_for(world.owner)
    sign_in(client, "owner")
    client.post(reverse("totp-verify"), {"code": wrong_code(device)})
    response = client.post(reverse("totp-verify"), {"code": code(device)})
    assert response.status_code == 422
    assert "Too many wrong codes" in response.text
    assert client.get("/").status_code == 302


def test_owner_without_a_device_is_sent_to_set_one_up(client, world, owner_totp) -> None:
    sign_in(client, "owner")
    for url in ("/", reverse("totp-verify")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("account-security")
    page = client.get(reverse("account-security"))
    assert page.status_code == 200
    assert "Your role as a strategy owner requires two-step sign-in" in page.text


def test_owner_sets_up_a_device_and_is_then_in(client, world, owner_totp, security_events) -> None:
    sign_in(client, "owner")
    assert client.post(reverse("totp-start")).status_code == 302
    page = client.get(reverse("account-security"))
    assert 'src="data:image/svg+xml;base64,' in page.text
    device = TOTPDevice.objects.get(user=world.owner)
    assert not device.confirmed
    secret = page.text.split('class="totp-secret">')[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # The page keeps the same secret when reloaded.
    client.get(reverse("account-security"))
    assert TOTPDevice.objects.filter(user=world.owner).count() == 1
    response = client.post(reverse("totp-confirm"), {"code": wrong_code(device)})
    assert response.status_code == 422
    device.throttle_reset()
    response = client.post(reverse("totp-confirm"), {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert "totp.enabled" in [e["event"] for e in security_events()]


def test_head_is_not_asked(client, world, owner_totp) -> None:
    sign_in(client, "head")
    assert client.get("/").status_code == 200


def test_with_the_setting_off_the_owner_is_not_asked(client, world) -> None:
    sign_in(client, "owner")
    assert client.get("/").status_code == 200


def test_single_sign_on_is_not_asked(client, world, owner_totp) -> None:
    device_for(world.owner)
    client.force_login(world.owner)
    session = client.session
    session["suunta_auth_method"] = "oidc"
    session.save()
    assert client.get("/").status_code == 200


def test_anyone_who_turned_it_on_is_asked(client, world) -> None:
    device = device_for(world.head)
    sign_in(client, "head")
    response = client.get("/")
    assert response.url.startswith(reverse("totp-verify"))
    client.post(reverse("totp-verify"), {"code": code(device)})
    assert client.get("/").status_code == 200


def test_unconfirmed_device_is_not_asked_for(client, world) -> None:
    device_for(world.head, confirmed=False)
    sign_in(client, "head")
    assert client.get("/").status_code == 200


def test_htmx_request_gets_hx_redirect_to_the_code_page(client, world, owner_totp) -> None:
    device_for(world.owner)
    sign_in(client, "owner")
    response = client.get("/", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("totp-verify")


def test_turning_it_off_asks_for_a_current_code(client, world, security_events) -> None:
    device = device_for(world.head)
    sign_in(client, "head")
    client.post(reverse("totp-verify"), {"code": code(device)})
    page = client.get(reverse("account-security"))
    assert "Two-step sign-in is on." in page.text
    device.refresh_from_db()
    device.last_t -= 2  # the code just used may be given once more, for this test
    device.save()
    response = client.post(reverse("totp-disable"), {"code": wrong_code(device)})
    assert response.status_code == 422
    assert TOTPDevice.objects.filter(user=world.head).exists()
    device.throttle_reset()
    response = client.post(reverse("totp-disable"), {"code": code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.head).exists()
    assert "totp.disabled" in [e["event"] for e in security_events()]


def test_owner_cannot_turn_it_off_while_the_role_requires_it(client, world, owner_totp) -> None:
    device = device_for(world.owner)
    sign_in(client, "owner")
    client.post(reverse("totp-verify"), {"code": code(device)})
    assert "cannot be turned off" in client.get(reverse("account-security")).text
    response = client.post(reverse("totp-disable"), {"code": code(device)})
    assert response.status_code == 422
    assert TOTPDevice.objects.filter(user=world.owner, confirmed=True).exists()


def test_security_page_needs_a_sign_in(client, world) -> None:
    response = client.get(reverse("account-security"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
