"""Sessions end after SUUNTA_SESSION_IDLE_MINUTES without a request and, at
the latest, SUUNTA_SESSION_MAX_HOURS after they began (a settable clock)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import middleware

pytestmark = pytest.mark.django_db

MINUTE = 60


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(middleware, "now", fake)
    return fake


@pytest.fixture
def signed_in(client, world, clock):
    client.force_login(world.head)
    assert client.get("/").status_code == 200  # the session's first request
    return client


def test_thirty_minutes_idle_is_still_signed_in(signed_in, clock) -> None:
    clock.advance(30 * MINUTE)
    assert signed_in.get("/").status_code == 200


def test_activity_keeps_the_session_alive(signed_in, clock) -> None:
    for _ in range(4):
        clock.advance(25 * MINUTE)
        assert signed_in.get("/").status_code == 200


def test_idle_session_is_signed_out_with_a_message(signed_in, clock, security_events) -> None:
    clock.advance(31 * MINUTE)
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=%2F"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response.url)
    assert "You were signed out after 30 minutes of inactivity" in page.text
    events = [e["event"] for e in security_events()]
    assert "session.expired" in events and "logout" in events


def test_idle_htmx_request_gets_hx_redirect_to_login(signed_in, clock) -> None:
    clock.advance(31 * MINUTE)
    response = signed_in.get("/", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login")
    assert "_auth_user_id" not in signed_in.session


def test_idle_limit_follows_the_setting(signed_in, clock, settings) -> None:
    settings.SUUNTA_SESSION_IDLE_MINUTES = 5
    clock.advance(6 * MINUTE)
    response = signed_in.get("/")
    assert response.status_code == 302
    assert "after 5 minutes of inactivity" in signed_in.get(response.url).text


def test_session_ends_after_the_absolute_lifetime_however_active(signed_in, clock) -> None:
    for _ in range(20):  # ten hours of steady work
        clock.advance(30 * MINUTE)
        assert signed_in.get("/").status_code == 200
    clock.advance(MINUTE)
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "Your session ended 10 hours after signing in" in signed_in.get(response.url).text


def test_absolute_lifetime_htmx_request_gets_hx_redirect(signed_in, clock, settings) -> None:
    settings.SUUNTA_SESSION_MAX_HOURS = 1
    for _ in range(3):
        clock.advance(20 * MINUTE)
        signed_in.get("/")
    clock.advance(MINUTE)
    response = signed_in.post("/", headers={"hx-request": "true"})
    assert response["HX-Redirect"] == reverse("login")


def test_cookie_lifetime_is_the_absolute_lifetime(settings) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.SUUNTA_SESSION_MAX_HOURS * 3600


def test_signing_in_again_starts_a_new_session(client, world, clock) -> None:
    client.force_login(world.head)
    client.get("/")
    clock.advance(31 * MINUTE)
    client.get("/")
    client.force_login(world.head)
    assert client.get("/").status_code == 200


def test_anonymous_pages_are_untouched(client, clock) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert middleware.LAST_ACTIVITY_KEY not in client.session


def test_requests_within_a_minute_do_not_rewrite_the_session(signed_in, clock, django_assert_max_num_queries) -> None:
    """The last activity is written at most once a minute, and a session that
    owes no code asks about devices once: later requests write nothing."""
    first = signed_in.session[middleware.LAST_ACTIVITY_KEY]
    clock.advance(20)
    with django_assert_max_num_queries(50) as queries:
        assert signed_in.get("/").status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "django_session" in sql and not sql.startswith("SELECT")]
    assert not [sql for sql in statements if "otp_totp" in sql]
    assert signed_in.session[middleware.LAST_ACTIVITY_KEY] == first
    clock.advance(60)
    assert signed_in.get("/").status_code == 200
    assert signed_in.session[middleware.LAST_ACTIVITY_KEY] == first + 80
