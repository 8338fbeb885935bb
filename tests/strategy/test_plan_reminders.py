"""Weekly reminders of stale plan items: once per head and week, none when
nothing is stale, in the recipient's language; sent by a real Celery worker."""

from __future__ import annotations

import datetime
import time
from email import message_from_string
from pathlib import Path

import pytest
from django.core import mail

from strategy import clock, services
from strategy.models import Profile, ReminderLog
from strategy.tasks import plan_reminders_send
from strategy.views.plans import current_year
from tests.factories import ActionFactory, AnnualPlanFactory, PlanItemFactory
from tests.strategy.plan_fixtures import last_updated

LONG_AGO_DAYS = 90


def make_plans(world, *, library_stale: int) -> datetime.date:  # type: ignore[no-untyped-def]
    """The library's first ``library_stale`` items were last updated 90 days
    ago; returns that day."""
    year = current_year(world.strategy)
    library = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=year)
    museum = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_b, year=year)
    long_ago = clock.today() - datetime.timedelta(days=LONG_AGO_DAYS)
    for i in range(3):
        item = PlanItemFactory(plan=library, action=ActionFactory(strategy=world.strategy, title=f"Lukudiplomi {i}"))
        if i < library_stale:
            long_ago = last_updated(item, LONG_AGO_DAYS)
    done = PlanItemFactory(plan=library, action=ActionFactory(strategy=world.strategy, title="Valmis"), status="done")
    last_updated(done, LONG_AGO_DAYS)  # finished: never nagged about
    PlanItemFactory(plan=museum, action=ActionFactory(strategy=world.strategy))  # fresh
    return long_ago


def read_mails(folder: Path) -> list:  # type: ignore[type-arg]
    if not folder.exists():
        return []
    messages = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(message_from_string(chunk.strip()))
    return messages


def enqueue() -> None:
    """Send the task to this test's worker. Explicit queue and a fresh
    connection: Celery caches its router and producer pool from the first
    test in the process, which would send later tests' tasks to a dead queue."""
    from config.celery import app

    with app.connection_for_write() as connection:
        plan_reminders_send.apply_async(connection=connection, queue=app.conf.task_default_queue)


def wait_for_tasks(log: Path, count: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("succeeded in") < count:
        if time.monotonic() > deadline:
            pytest.fail("The worker did not finish the reminders:\n" + log.read_text(errors="replace"))
        time.sleep(0.1)


@pytest.fixture
def mail_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mail"
    monkeypatch.setenv("SUUNTA_EMAIL_FILE_PATH", str(folder))
    return folder


@pytest.fixture
def worker(mail_dir: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    # Started after SUUNTA_EMAIL_FILE_PATH is set, so the worker writes emails as files.
    return request.getfixturevalue("celery_worker_process")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_head_exactly_one_email_per_week(world, mail_dir: Path, worker) -> None:  # type: ignore[no-untyped-def]
    make_plans(world, library_stale=2)
    for _ in range(3):  # beat runs daily; a second worker or a retry must not send again
        enqueue()
    wait_for_tasks(worker.log_path, 3)
    messages = read_mails(mail_dir)
    assert [m["To"] for m in messages] == ["head@example.fi"]
    body = messages[0].get_payload(decode=True).decode()
    assert "Lukudiplomi 0" in body and "Lukudiplomi 1" in body
    assert "Lukudiplomi 2" not in body and "Valmis" not in body
    log = ReminderLog.objects.get()
    assert (log.user, log.item_count, log.period_start) == (world.head, 2, services.week_start(clock.today()))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_nothing_when_nothing_is_stale(world, mail_dir: Path, worker) -> None:  # type: ignore[no-untyped-def]
    make_plans(world, library_stale=0)
    enqueue()
    wait_for_tasks(worker.log_path, 1)
    assert read_mails(mail_dir) == []
    assert not ReminderLog.objects.exists()


def test_next_week_brings_a_new_reminder_in_the_recipients_language(world) -> None:
    long_ago = make_plans(world, library_stale=1)
    Profile.objects.create(user=world.head, language="sv")
    today = clock.today()
    assert services.reminders_send(today=today) == 1
    assert services.reminders_send(today=today) == 0
    assert services.reminders_send(today=today + datetime.timedelta(days=7)) == 1
    assert len(mail.outbox) == 2
    # Swedish date format (Y-m-d) rather than the Finnish default (d.m.Y).
    assert long_ago.strftime("%Y-%m-%d") in mail.outbox[0].body


def test_language_defaults_to_the_site_language(world, settings) -> None:
    settings.LANGUAGE_CODE = "fi"
    long_ago = make_plans(world, library_stale=1)
    services.reminders_send()
    assert f"{long_ago.day}.{long_ago.month}.{long_ago.year}" in mail.outbox[0].body
