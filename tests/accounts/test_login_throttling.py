"""Sign-in throttling: a (username, address) pair is locked out after three
failures, even with the right password, until the cool-off has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def sign_in(client, username: str, password: str, address: str = HOME):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_three_times(client, username: str = "head") -> None:
    for _ in range(3):
        sign_in(client, username, "wrong-password")


def test_wrong_passwords_show_the_form_until_the_limit(client, world) -> None:
    for _ in range(2):
        response = sign_in(client, "head", "wrong-password")
        assert response.status_code == 200
        assert "Too many failed sign-ins" not in response.text
    response = sign_in(client, "head", "wrong-password")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text


def test_fourth_try_is_refused_even_with_the_right_password(client, world) -> None:
    fail_three_times(client)
    response = sign_in(client, "head", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "try again in 15 minutes" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_in_the_users_language(client, world) -> None:
    fail_three_times(client)
    response = client.post(
        reverse("login"),
        {"username": "head", "password": PASSWORD},
        REMOTE_ADDR=HOME,
        headers={"accept-language": "fi"},
    )
    assert response.status_code == 429
    assert '<html lang="fi">' in response.text


def test_same_person_signs_in_from_another_address(client, world) -> None:
    fail_three_times(client)
    response = sign_in(client, "head", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.head.pk)


def test_another_person_signs_in_from_the_locked_address(client, world) -> None:
    fail_three_times(client)
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 302


def test_right_password_works_after_the_cool_off(client, world) -> None:
    fail_three_times(client)
    # Fifteen minutes pass.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response = sign_in(client, "head", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.head.pk)


def test_right_password_is_still_refused_before_the_cool_off_ends(client, world) -> None:
    fail_three_times(client)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
    assert sign_in(client, "head", PASSWORD).status_code == 429


def test_limit_and_cool_off_follow_the_settings(client, world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    settings.SUUNTA_LOGIN_COOLOFF_MINUTES = 1
    for _ in range(4):
        assert sign_in(client, "head", "wrong-password").status_code == 200
    response = sign_in(client, "head", "wrong-password")
    assert response.status_code == 429
    assert "try again in 1 minute." in response.text


def test_a_success_clears_the_failures(client, world) -> None:
    for _ in range(2):
        sign_in(client, "head", "wrong-password")
    assert sign_in(client, "head", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert sign_in(client, "head", "wrong-password").status_code == 200


def test_failures_and_the_lockout_are_in_the_security_log(client, world, security_events) -> None:
    fail_three_times(client)
    sign_in(client, "head", PASSWORD)
    events = security_events()
    failed = [e for e in events if e["event"] == "login.failed"]
    locked = [e for e in events if e["event"] == "login.locked_out"]
    assert len(failed) == 4
    assert {(e["username"], e["ip"]) for e in failed} == {("head", HOME)}
    assert locked and {(e["username"], e["ip"]) for e in locked} == {("head", HOME)}


def test_success_and_logout_are_in_the_security_log(client, world, security_events) -> None:
    sign_in(client, "head", PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR=HOME)
    events = security_events()
    success = next(e for e in events if e["event"] == "login.success")
    assert (success["username"], success["ip"], success["user_id"]) == ("head", HOME, world.head.pk)
    assert success["backend"] == "ModelBackend"
    logout = next(e for e in events if e["event"] == "logout")
    assert logout["username"] == "head"


def test_hostile_username_cannot_forge_a_log_line(client, world, security_events, caplog) -> None:
    hostile = 'eve\n{"event": "login.success", "username": "owner"}\r\n'
    for _ in range(3):
        sign_in(client, hostile, "x")
    records = [r for r in caplog.records if r.name == "suunta.security"]
    assert records
    assert not any("\n" in r.getMessage() or "\r" in r.getMessage() for r in records)
    events = security_events()
    assert {e["event"] for e in events} == {"login.failed", "login.locked_out"}
    # The form strips the trailing whitespace; the newline inside is kept, escaped.
    assert all(e["username"] == hostile.strip() for e in events)


PROXY = "172.18.0.1"


def sign_in_through_proxy(client, username: str, password: str, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, world, settings) -> None:
    settings.SUUNTA_PROXY_HOPS = 1
    for _ in range(3):
        sign_in_through_proxy(client, "head", "wrong-password", HOME)
    assert sign_in_through_proxy(client, "head", PASSWORD, HOME).status_code == 429
    assert sign_in_through_proxy(client, "head", PASSWORD, ELSEWHERE).status_code == 302


def test_a_client_cannot_choose_its_address_with_the_header(client, world, settings, security_events) -> None:
    settings.SUUNTA_PROXY_HOPS = 1
    # The attacker sends a different X-Forwarded-For each time; the proxy appends the real address.
    for n in range(3):
        sign_in_through_proxy(client, "head", "wrong-password", f"192.0.2.{n}, {HOME}")
    assert sign_in_through_proxy(client, "head", PASSWORD, f"192.0.2.9, {HOME}").status_code == 429
    assert {e["ip"] for e in security_events()} == {HOME}


def test_without_proxy_hops_the_header_is_ignored(client, world, security_events) -> None:
    sign_in_through_proxy(client, "head", "wrong-password", HOME)
    assert [e["ip"] for e in security_events()] == [PROXY]


def test_signing_in_from_code_without_a_request_still_works(client, world) -> None:
    # The test client's login() and scripts call authenticate() without a request.
    assert client.login(username="head", password=PASSWORD)
    assert not client.login(username="head", password="wrong-password")
