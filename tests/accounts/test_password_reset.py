"""Password reset: throttled per address and per email, and the same answer
whether or not an account has the address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ask_reset(client, email: str, address: str = "10.4.4.4"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_known_and_unknown_addresses_get_the_same_answer(client, world) -> None:
    known = ask_reset(client, "head@example.fi")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.fi"]
    unknown = ask_reset(client, "nobody@example.fi")
    assert len(mail.outbox) == 1  # nothing for an address no account has
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, reverse("password_reset_done"))
    done = client.get(reverse("password_reset_done"))
    assert "If a Suunta account has the address you entered" in done.text


def test_the_sixth_request_from_one_address_is_refused(client, world) -> None:
    for n in range(5):
        assert ask_reset(client, f"someone{n}@example.fi").status_code == 302
    response = ask_reset(client, "head@example.fi")
    assert response.status_code == 429
    assert "Too many password reset requests. Try again in 60 minutes." in response.text
    assert not mail.outbox


def test_the_sixth_request_for_one_email_is_refused_from_any_address(client, world) -> None:
    for n in range(5):
        assert ask_reset(client, "head@example.fi", address=f"10.5.5.{n}").status_code == 302
    assert len(mail.outbox) == 5
    response = ask_reset(client, "HEAD@example.fi", address="10.5.5.99")
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def _without_tokens_and_emails(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    return re.sub(r"[\w.+-]+@example\.fi", "EMAIL", text)


def test_refusal_is_the_same_for_known_and_unknown_emails(client, world) -> None:
    for n in range(5):
        ask_reset(client, f"someone{n}@example.fi")
    known, unknown = ask_reset(client, "head@example.fi"), ask_reset(client, "nobody@example.fi")
    assert known.status_code == unknown.status_code == 429
    assert _without_tokens_and_emails(known.text) == _without_tokens_and_emails(unknown.text)


def test_limit_and_window_follow_the_settings(client, world, settings) -> None:
    settings.SUUNTA_PASSWORD_RESET_LIMIT = 1
    settings.SUUNTA_PASSWORD_RESET_WINDOW_MINUTES = 1
    assert ask_reset(client, "head@example.fi").status_code == 302
    response = ask_reset(client, "head@example.fi")
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.text


def test_requests_and_refusals_are_in_the_security_log(client, world, settings, security_events) -> None:
    settings.SUUNTA_PASSWORD_RESET_LIMIT = 1
    ask_reset(client, "head@example.fi")
    ask_reset(client, "head@example.fi")
    events = [(e["event"], e["email"], e["ip"]) for e in security_events()]
    assert events == [
        ("password_reset.requested", "head@example.fi", "10.4.4.4"),
        ("password_reset.throttled", "head@example.fi", "10.4.4.4"),
    ]


def test_reset_pages_are_suuntas_own(client, world) -> None:
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "Reset your password" in response.text
    assert 'class="site-header"' in response.text
