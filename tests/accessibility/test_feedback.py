"""Anyone can send feedback on accessibility: it is stored and emailed to the
feedback address by the worker after the commit, in the configured language.
Bad input and robots change nothing; too many messages are refused."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from accessibility.models import Feedback
from accounts.throttle import CACHE_ALIAS, _cache_key

pytestmark = pytest.mark.django_db

URL = reverse("accessibility-feedback-send")


def forget_feedback_counts() -> None:
    """Forget this client's feedback count. Only these keys: the throttle
    cache is Redis on PostgreSQL runs, shared with everything else."""
    caches[CACHE_ALIAS].delete_many(
        [
            _cache_key("accessibility-feedback", f"ip:{address}")
            for address in ("127.0.0.1", "::1", "")
        ]
    )


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    forget_feedback_counts()


@pytest.fixture
def eager():  # type: ignore[no-untyped-def]
    """Tasks run in this process when enqueued (what the worker would do)."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture
def feedback_settings(settings):  # type: ignore[no-untyped-def]
    settings.SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL = "palaute@testikaupunki.fi"
    settings.SUUNTA_ACCESSIBILITY_FEEDBACK_LANGUAGE = "en"
    settings.SUUNTA_ACCESSIBILITY_FEEDBACK_LIMIT = 3
    return settings


def test_anonymous_feedback_is_stored_and_emailed_after_commit(
    client, feedback_settings, eager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            URL,
            {
                "message": "The chart has no table.",
                "email": "asukas@example.fi",
                "page": "/strategies/x/",
            },
            HTTP_ACCEPT_LANGUAGE="sv",
        )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("accessibility") + "#feedback")
    assert len(callbacks) == 1
    feedback = Feedback.objects.get()
    assert (feedback.message, feedback.email, feedback.page, feedback.language) == (
        "The chart has no table.",
        "asukas@example.fi",
        "/strategies/x/",
        "sv",
    )
    assert feedback.emailed_at is not None
    [email] = mail.outbox
    assert email.to == ["palaute@testikaupunki.fi"]
    assert email.reply_to == ["asukas@example.fi"]
    assert "The chart has no table." in email.body
    assert "/strategies/x/" in email.body
    # The configured language (English), not the sender's (Swedish).
    assert email.subject == "Suunta: feedback on accessibility"


def test_no_email_before_the_commit(
    client, feedback_settings, eager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, {"message": "Hello"})
    assert Feedback.objects.count() == 1
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_task_run_twice_sends_one_email(
    client, feedback_settings, django_capture_on_commit_callbacks
) -> None:
    from accessibility.services import feedback_email_send

    with django_capture_on_commit_callbacks(execute=False):
        client.post(URL, {"message": "Twice"})
    feedback = Feedback.objects.get()
    assert feedback_email_send(feedback_id=feedback.pk) is True
    assert feedback_email_send(feedback_id=feedback.pk) is False
    assert len(mail.outbox) == 1


def test_signed_in_person_can_send_feedback_with_htmx(
    client, world, feedback_settings, eager
) -> None:
    client.force_login(world.staff)
    response = client.post(URL, {"message": "Focus is lost"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="feedback-area"' in html and "<html" not in html
    assert "Thank you. Your feedback has been sent." in html
    assert Feedback.objects.filter(message="Focus is lost").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": ""}, "Write your feedback before sending it."),
        ({"message": "   \n "}, "Write your feedback before sending it."),
        (
            {"message": "x" * 4001},
            "The feedback can be at most 4000 characters long (it has 4001).",
        ),
        (
            {"message": "Hi", "email": "not-an-address"},
            "Enter an email address such as name@example.fi",
        ),
        ({"message": "Hi", "page": "/" * 501}, "The page can be at most 500 characters long."),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message_and_nothing_is_stored(
    client, feedback_settings, eager, data: dict, message: str
) -> None:
    response = client.post(URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Feedback.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_filled_by_a_robot_stores_and_sends_nothing(
    client, feedback_settings, eager
) -> None:
    response = client.post(URL, {"message": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 302
    assert Feedback.objects.count() == 0
    assert mail.outbox == []


def test_too_much_feedback_from_one_address_is_refused(client, feedback_settings, eager) -> None:
    for number in range(3):
        assert client.post(URL, {"message": f"Message {number}"}).status_code == 302
    response = client.post(URL, {"message": "One more"})
    assert response.status_code == 429
    assert (
        "You have sent a lot of feedback in a short time. Try again in 60 minutes."
        in response.content.decode()
    )
    assert Feedback.objects.count() == 3


def test_throttled_htmx_request_gets_the_form_with_the_reason(
    client, feedback_settings, eager
) -> None:
    for number in range(3):
        client.post(URL, {"message": f"Message {number}"})
    response = client.post(URL, {"message": "One more"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="feedback-area">')
    assert "Try again in 60 minutes." in html


def test_email_links_to_the_feedback_list(
    client, feedback_settings, eager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"message": "Hello"})
    assert reverse("accessibility-feedback-list") in mail.outbox[0].body


def test_feedback_without_csrf_token_is_refused() -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"message": "Hello"})
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_get_is_not_allowed_on_the_send_url(client) -> None:
    assert client.get(URL).status_code == 405
