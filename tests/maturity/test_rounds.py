"""The owner opens a round (staff invited by email in their language), follows
responses per unit and closes it."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from maturity.models import AssessmentRound
from maturity.services import round_invitations_send, round_progress
from strategy import clock
from tests.factories import PASSWORD

from .conftest import answer, colleague, open_round


def owner_client() -> Client:
    client = Client()
    client.login(username="owner", password=PASSWORD)
    return client


def _form(world, matrix, **extra):
    today = clock.today()
    return {
        "model": matrix.model.pk,
        "year": today.year,
        "units": [world.unit_a.pk],
        "opens": today.isoformat(),
        "closes": (today + datetime.timedelta(days=14)).isoformat(),
        "is_anonymous": "on",
        "min_respondents": 3,
        **extra,
    }


@pytest.mark.django_db
def test_owner_opens_round_and_staff_are_emailed(world, matrix, django_capture_on_commit_callbacks):
    from maturity.tasks import send_round_invitations

    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client().post(reverse("maturity-round-create", args=[world.strategy.slug]), _form(world, matrix))
    # The invitation task is enqueued once the round is committed; run it here
    # as the worker would (a real worker is exercised below).
    assert len(callbacks) == 1 and not mail.outbox
    send_round_invitations.apply(args=[AssessmentRound.objects.get().pk])

    round_ = AssessmentRound.objects.get()
    assert response.status_code == 302
    assert round_.status == AssessmentRound.Status.OPEN
    assert list(round_.units.all()) == [world.unit_a]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["head@example.fi", "staff@example.fi"]  # the library's people, not the museum's
    message = next(m for m in mail.outbox if m.to == ["staff@example.fi"])
    assert "Kirjasto" in message.subject
    assert reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug]) in message.body


@pytest.mark.django_db
def test_invitation_is_written_in_the_strategys_language(world, matrix, round_):
    world.strategy.main_language = "sv"
    world.strategy.save()
    assert round_invitations_send(round_id=round_.pk) == 3
    # Swedish dates are written 2026-11-22, Finnish ones 22.11.2026.
    assert mail.outbox and all(round_.opens.isoformat() in m.body for m in mail.outbox)
    world.strategy.main_language = "fi"
    world.strategy.save()
    mail.outbox.clear()
    round_invitations_send(round_id=round_.pk)
    assert all(round_.opens.strftime("%-d.%-m.%Y") in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_round_form_rejects_bad_input_with_messages(world, matrix):
    open_round(matrix, [world.unit_a], year=2024)
    response = owner_client().post(
        reverse("maturity-round-create", args=[world.strategy.slug]),
        _form(world, matrix, year=2024, units=[], opens="2024-10-10", closes="2024-10-01"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This matrix already has a round for 2024." in page
    assert "Choose at least one unit." in page
    assert "The round cannot close before it opens." in page
    assert AssessmentRound.objects.count() == 1


@pytest.mark.django_db
def test_owner_sees_n_of_m_and_closes_the_round(world, matrix, round_):
    answer(round_, world.unit_a, world.staff, [1, 2, 3, 4, 1])
    answer(round_, world.unit_a, world.head, [1, 2, 3, 4, 1], submit=False)
    colleague(world.unit_b, "museolainen")
    progress = {row["unit"].slug: row for row in round_progress(round_=round_)}
    assert (progress["kirjasto"]["submitted"], progress["kirjasto"]["drafts"], progress["kirjasto"]["invited"]) == (1, 1, 2)
    assert (progress["museo"]["submitted"], progress["museo"]["invited"]) == (0, 2)

    client = owner_client()
    page = client.get(reverse("maturity-round-detail", args=[world.strategy.slug, round_.pk])).content.decode()
    assert "1 of 2" in page and "0 of 2" in page
    fragment = client.get(reverse("maturity-round-detail", args=[world.strategy.slug, round_.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<section id="progress"')

    client.post(reverse("maturity-round-close", args=[world.strategy.slug, round_.pk]))
    round_.refresh_from_db()
    assert round_.status == AssessmentRound.Status.CLOSED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_invitations_are_sent_by_a_real_worker(world, matrix, celery_worker_process):
    """The task runs in a worker process after the commit; the console email
    backend prints the messages into the worker's log."""
    from maturity.services import round_open

    today = clock.today()
    round_ = round_open(
        model=matrix.model, year=today.year, units=[world.unit_a], opens=today, closes=today + datetime.timedelta(days=7)
    )
    log = celery_worker_process.log_path
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and "succeeded" not in log.read_text(errors="replace"):
        time.sleep(0.1)
    text = log.read_text(errors="replace")
    assert f"Sent 2 maturity invitations for round {round_.pk}" in text, text
    assert "To: staff@example.fi" in text and "To: head@example.fi" in text
    assert "otherhead@example.fi" not in text


@pytest.mark.django_db
def test_invitation_follows_the_persons_own_email_language(world, matrix, round_):
    from strategy.models import Profile

    world.strategy.main_language = "fi"
    world.strategy.save()
    Profile.objects.create(user=world.staff, language="sv")
    round_invitations_send(round_id=round_.pk)
    to_staff = next(m for m in mail.outbox if m.to == ["staff@example.fi"])
    to_head = next(m for m in mail.outbox if m.to == ["head@example.fi"])
    assert round_.opens.isoformat() in to_staff.body
    assert round_.opens.strftime("%-d.%-m.%Y") in to_head.body
