"""Stalled report jobs: the reaper's bounds, its idempotence, the reason people
read, and "Render again" on the status page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from reports import jobs, services, tasks
from reports.models import Report
from reports.services import _reap_one, _stale_q, report_jobs_reap, report_run

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
RUNNING_BOUND = timedelta(seconds=settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS)
QUEUED_BOUND = timedelta(seconds=settings.SUUNTA_REPORT_QUEUED_STALE_SECONDS)
SECOND = timedelta(seconds=1)
# How long after it started a lost report's worker is given up on in these tests.
LOST_MINUTES = round(RUNNING_BOUND.total_seconds() / 60) + 1


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Report ids whose rendering was enqueued (instead of a broker)."""
    messages: list[int] = []
    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: messages.append(report_id))
    return messages


def make_report(world, *, status: str, since: datetime, **fields: object) -> Report:  # type: ignore[no-untyped-def]
    """A report of ``world`` that has been ``status`` since ``since``
    (requested then, and started then when running)."""
    report = Report.objects.create(strategy=world.strategy, year=2024, language="en", requested_by=world.owner, **fields)
    started = since if status == Report.Status.RUNNING else None
    attempts = fields.get("attempts", 1 if status == Report.Status.RUNNING else 0)
    Report.objects.filter(pk=report.pk).update(status=status, requested_at=since, started_at=started, attempts=attempts)
    report.refresh_from_db()
    return report


def reap(django_capture_on_commit_callbacks, now: datetime = NOW) -> services.ReapResult:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return report_jobs_reap(now=now)


# --- the bounds -------------------------------------------------------------------


def test_bounds_derive_from_the_tasks_time_limit_and_come_before_redis_hands_the_job_out_again() -> None:
    limit = settings.CELERY_TASK_TIME_LIMIT
    retries = settings.SUUNTA_REPORT_MAX_RETRIES
    margin = settings.SUUNTA_REPORT_STALE_MARGIN_SECONDS
    assert settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS == limit + margin
    assert settings.SUUNTA_REPORT_QUEUED_STALE_SECONDS == limit * (retries + 1) + 60 * retries + margin
    assert tasks.render_report.max_retries == retries
    assert tasks.render_report.retry_backoff_max == 60
    # The reaper acts on a dead worker's job well before Redis would redeliver it.
    assert settings.SUUNTA_REPORT_RUNNING_STALE_SECONDS < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_beat_runs_the_reaper_every_five_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["report-jobs-reap"]
    assert entry["task"] == tasks.report_jobs_reap.name == "reports.tasks.report_jobs_reap"
    assert entry["schedule"] == 300


def test_running_job_past_its_bound_is_queued_again_and_sent(world, sent, django_capture_on_commit_callbacks) -> None:
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND)
    result = reap(django_capture_on_commit_callbacks)
    assert result.requeued == [report.pk] and result.failed == []
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.requeued_at == NOW
    assert sent == [report.pk]


def test_running_job_within_its_bound_is_left_alone(world, sent, django_capture_on_commit_callbacks) -> None:
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND + SECOND)
    assert reap(django_capture_on_commit_callbacks) == services.ReapResult(requeued=[], failed=[])
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and report.requeued_at is None
    assert sent == []


def test_queued_job_has_its_own_longer_bound(world, sent, django_capture_on_commit_callbacks) -> None:
    """A job waiting between its retries is not taken for lost after the running bound."""
    waiting = make_report(world, status=Report.Status.QUEUED, since=NOW - RUNNING_BOUND - SECOND)
    lost = make_report(world, status=Report.Status.QUEUED, since=NOW - QUEUED_BOUND - SECOND)
    result = reap(django_capture_on_commit_callbacks)
    assert result.requeued == [lost.pk]
    waiting.refresh_from_db()
    assert waiting.status == Report.Status.QUEUED and waiting.requeued_at is None
    assert sent == [lost.pk]


def test_job_queued_again_that_stalls_again_fails_with_the_worker_lost(world, sent, django_capture_on_commit_callbacks) -> None:
    started = NOW - RUNNING_BOUND - SECOND
    report = make_report(world, status=Report.Status.RUNNING, since=started, requeued_at=started - timedelta(minutes=1))
    result = reap(django_capture_on_commit_callbacks)
    assert result.failed == [report.pk] and result.requeued == []
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.failure == Report.Failure.WORKER_LOST
    assert report.finished_at == NOW
    assert sent == []


def test_queued_again_job_no_worker_takes_fails_counted_from_the_requeue(world, sent, django_capture_on_commit_callbacks) -> None:
    long_ago = NOW - 3 * QUEUED_BOUND
    report = make_report(world, status=Report.Status.QUEUED, since=long_ago, requeued_at=NOW - QUEUED_BOUND + SECOND)
    assert reap(django_capture_on_commit_callbacks).failed == []
    Report.objects.filter(pk=report.pk).update(requeued_at=NOW - QUEUED_BOUND - SECOND)
    assert reap(django_capture_on_commit_callbacks).failed == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.failure == Report.Failure.NOT_PICKED_UP
    assert sent == []


def test_job_without_attempts_left_is_failed_not_queued_again(world, sent, django_capture_on_commit_callbacks) -> None:
    attempts = settings.SUUNTA_REPORT_MAX_RETRIES + 1
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND, attempts=attempts)
    assert reap(django_capture_on_commit_callbacks).failed == [report.pk]
    assert sent == []


def test_finished_reports_are_never_reaped(world, sent, django_capture_on_commit_callbacks) -> None:
    old = NOW - 10 * QUEUED_BOUND
    done = make_report(world, status=Report.Status.DONE, since=old)
    failed = make_report(world, status=Report.Status.FAILED, since=old)
    assert reap(django_capture_on_commit_callbacks) == services.ReapResult(requeued=[], failed=[])
    assert [status for status in Report.objects.order_by("pk").values_list("status", flat=True)] == ["done", "failed"]
    assert (done.pk, failed.pk) and sent == []


# --- idempotence ----------------------------------------------------------------------


def test_reaping_again_changes_nothing(world, sent, django_capture_on_commit_callbacks) -> None:
    stalled = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND)
    again = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND, requeued_at=NOW - QUEUED_BOUND)
    first = reap(django_capture_on_commit_callbacks)
    assert (first.requeued, first.failed) == ([stalled.pk], [again.pk])
    before = list(Report.objects.order_by("pk").values())
    assert reap(django_capture_on_commit_callbacks) == services.ReapResult(requeued=[], failed=[])
    assert list(Report.objects.order_by("pk").values()) == before
    assert sent == [stalled.pk]


@pytest.mark.parametrize("requeued_before", [False, True], ids=["requeue", "fail"])
def test_two_reapers_that_read_the_same_stalled_job_act_on_it_once(
    world, sent, django_capture_on_commit_callbacks, requeued_before: bool
) -> None:
    """Both reapers saw the job stalled before either wrote: the second one's
    conditional UPDATE matches nothing, so it neither sends a second message
    nor overwrites the first one's outcome."""
    requeued_at = NOW - QUEUED_BOUND if requeued_before else None
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND, requeued_at=requeued_at)
    stale = _stale_q(NOW)
    row = {"pk": report.pk, "status": report.status, "attempts": report.attempts, "requeued_at": report.requeued_at}
    with django_capture_on_commit_callbacks(execute=True):
        first = _reap_one(**row, stale=stale, now=NOW)
        after_first = Report.objects.values().get(pk=report.pk)
        second = _reap_one(**row, stale=stale, now=NOW + SECOND)
    assert first == ("failed" if requeued_before else "requeued")
    assert second is None
    assert Report.objects.values().get(pk=report.pk) == after_first
    assert sent == ([] if requeued_before else [report.pk])


def test_worker_claiming_the_job_first_wins_over_the_reaper(world, sent, django_capture_on_commit_callbacks) -> None:
    report = make_report(world, status=Report.Status.QUEUED, since=NOW - QUEUED_BOUND - SECOND)
    stale = _stale_q(NOW)
    row = {"pk": report.pk, "status": report.status, "attempts": report.attempts, "requeued_at": None}
    # A worker claims it between the reaper's read and its write.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, started_at=NOW, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert _reap_one(**row, stale=stale, now=NOW) is None
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and report.requeued_at is None and sent == []


def test_the_task_calls_the_reaper(world, sent, django_capture_on_commit_callbacks) -> None:
    report = make_report(world, status=Report.Status.RUNNING, since=timezone.now() - RUNNING_BOUND - SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_jobs_reap() == {"requeued": [report.pk], "failed": []}


# --- a job delivered again after the reaper gave up ------------------------------------


def test_job_delivered_again_for_a_failed_report_is_skipped(world, media_root, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND, requeued_at=NOW - QUEUED_BOUND)
    report_jobs_reap(now=NOW)
    before = Report.objects.values().get(pk=report.pk)
    monkeypatch.setattr(jobs, "report_render", lambda **kwargs: pytest.fail("a failed report was rendered"))
    again = report_run(report_id=report.pk)
    assert again.status == Report.Status.FAILED
    assert Report.objects.values().get(pk=report.pk) == before


# --- the reason people read --------------------------------------------------------------

WORKER_LOST_MSGID = (
    "The worker stopped while rendering this report (no result %(minutes)s minutes after it started). Render it again."
)
WORKER_LOST_FI = "Työn tekijä pysähtyi kesken raportin (ei tulosta %(minutes)s minuuttiin). Tee raportti uudelleen."


@pytest.fixture
def finnish_reason() -> Iterator[None]:
    """A Finnish wording of the reason in the loaded catalogue, whatever the
    committed catalogues hold at the moment, so that the test shows which
    language the reason is worded in."""
    catalog = trans_real.translation("fi")._catalog  # type: ignore[attr-defined]
    first = catalog._catalogs[0]
    missing = object()
    old = first.get(WORKER_LOST_MSGID, missing)
    first[WORKER_LOST_MSGID] = WORKER_LOST_FI
    try:
        yield
    finally:
        if old is missing:
            del first[WORKER_LOST_MSGID]
        else:
            first[WORKER_LOST_MSGID] = old


@pytest.fixture
def lost_report(world) -> Report:  # type: ignore[no-untyped-def]
    """A Swedish report whose worker died: the reaper, which had queued it
    again once, failed it ``LOST_MINUTES`` after it started."""
    started = NOW - timedelta(minutes=LOST_MINUTES)
    report = make_report(world, status=Report.Status.RUNNING, since=started, requeued_at=started - timedelta(minutes=1))
    Report.objects.filter(pk=report.pk).update(language="sv")
    report_jobs_reap(now=NOW)
    report.refresh_from_db()
    return report


def test_reason_reads_in_english_with_the_minutes(lost_report: Report) -> None:
    with translation.override("en"):
        assert lost_report.reason == (
            f"The worker stopped while rendering this report (no result {LOST_MINUTES} minutes after it started). "
            "Render it again."
        )


def test_reason_is_worded_in_the_readers_language_not_the_reports(lost_report: Report, finnish_reason: None) -> None:
    with translation.override("fi"):
        assert lost_report.reason == WORKER_LOST_FI % {"minutes": LOST_MINUTES}
    client = client_for(lost_report.requested_by)
    url = reverse("report-status", args=[lost_report.strategy.slug, lost_report.pk])
    assert WORKER_LOST_FI % {"minutes": LOST_MINUTES} in client.get(url, headers={"Accept-Language": "fi"}).text
    assert WORKER_LOST_MSGID % {"minutes": LOST_MINUTES} in client.get(url, headers={"Accept-Language": "en"}).text


def test_reason_of_a_job_no_worker_took(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world, status=Report.Status.QUEUED, since=NOW - QUEUED_BOUND - timedelta(minutes=1))
    Report.objects.filter(pk=report.pk).update(requeued_at=NOW - timedelta(minutes=130))
    report_jobs_reap(now=NOW)
    report.refresh_from_db()
    with translation.override("en"):
        assert report.reason == (
            "No worker took this report up (it waited 130 minutes; the job was probably lost). Render it again."
        )


def test_job_queued_again_says_so_while_it_waits(world, sent, django_capture_on_commit_callbacks) -> None:
    report = make_report(world, status=Report.Status.RUNNING, since=NOW - RUNNING_BOUND - SECOND)
    reap(django_capture_on_commit_callbacks)
    report.refresh_from_db()
    with translation.override("en"):
        assert report.reason == "A worker stopped before this report was ready; it has been queued again."


# --- the status page and "Render again" ---------------------------------------------------


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_status_fragment_of_a_failed_report_stops_polling_and_offers_render_again(lost_report: Report) -> None:
    client = client_for(lost_report.requested_by)
    slug = lost_report.strategy.slug
    fragment = client.get(reverse("report-status", args=[slug, lost_report.pk]), headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and f'id="report-{lost_report.pk}"' in fragment
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert f'action="{reverse("report-reorder", args=[slug, lost_report.pk])}"' in fragment
    assert 'method="post"' in fragment and "Render again" in fragment
    assert "csrfmiddlewaretoken" in fragment


def test_pending_report_polls_and_offers_no_render_again(world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world, status=Report.Status.RUNNING, since=timezone.now())
    fragment = client_for(world.owner).get(
        reverse("report-status", args=[world.strategy.slug, report.pk]), headers={"HX-Request": "true"}
    ).text
    assert 'hx-trigger="every 2s"' in fragment
    assert "Render again" not in fragment


def test_render_again_creates_the_next_version_and_sends_it_to_the_worker(
    lost_report: Report, sent, django_capture_on_commit_callbacks
) -> None:
    client = client_for(lost_report.requested_by)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-reorder", args=[lost_report.strategy.slug, lost_report.pk]))
    new = Report.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("report-status", args=[lost_report.strategy.slug, new.pk])
    assert new.pk != lost_report.pk and new.version == lost_report.version + 1
    assert (new.year, new.to_year, new.unit, new.language) == (2024, None, None, "sv")
    assert new.status == Report.Status.QUEUED and new.requested_by == lost_report.requested_by
    assert sent == [new.pk]
    lost_report.refresh_from_db()
    assert lost_report.status == Report.Status.FAILED  # the failed version stays as it was


def test_unit_head_renders_their_units_report_again(world, sent, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world, status=Report.Status.DONE, since=NOW, unit=world.unit_a)
    client = client_for(world.head)
    page = client.get(reverse("report-status", args=[world.strategy.slug, report.pk])).text
    assert "Render again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-reorder", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 302
    new = Report.objects.latest("pk")
    assert (new.unit, new.version, new.requested_by) == (world.unit_a, 2, world.head)


@pytest.mark.parametrize(
    ("persona", "scope", "status"),
    [
        ("staff", "unit_a", 403),  # sees the library's report, may not order it
        ("viewer", None, 403),
        ("otherhead", "unit_a", 404),  # cannot even see it
        ("head", None, 403),  # a head orders their own unit's reports only
        ("otherhead", None, 403),
    ],
)
def test_person_who_may_not_order_gets_403_or_404_on_render_again_and_nothing_changes(
    world, sent, django_capture_on_commit_callbacks, persona: str, scope: str | None, status: int
) -> None:
    unit = getattr(world, scope) if scope else None
    report = make_report(world, status=Report.Status.FAILED, since=NOW, unit=unit)
    before = list(Report.objects.order_by("pk").values())
    client = client_for(getattr(world, persona))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-reorder", args=[world.strategy.slug, report.pk]))
    assert response.status_code == status
    assert list(Report.objects.order_by("pk").values()) == before
    assert sent == []
    page = client.get(reverse("report-status", args=[world.strategy.slug, report.pk]))
    assert "Render again" not in page.text
    listing = client.get(reverse("report-list", args=[world.strategy.slug])).text
    assert "Render again" not in listing


def test_render_again_of_a_pending_report_orders_nothing(world, sent, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world, status=Report.Status.QUEUED, since=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.owner).post(reverse("report-reorder", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("report-status", args=[world.strategy.slug, report.pk])
    assert Report.objects.count() == 1 and sent == []


def test_render_again_only_by_post(lost_report: Report) -> None:
    url = reverse("report-reorder", args=[lost_report.strategy.slug, lost_report.pk])
    assert client_for(lost_report.requested_by).get(url).status_code == 405


def test_list_offers_render_again_to_the_owner_without_more_queries_per_report(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        make_report(world, status=Report.Status.FAILED, since=NOW)
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    client.get(url)
    caches["template_fragments"].clear()  # the list built from the data, both times
    with django_assert_max_num_queries(30) as captured:
        listing = client.get(url).text
    assert listing.count("Render again") == 3
    queries = len(captured)
    for _ in range(5):
        make_report(world, status=Report.Status.DONE, since=NOW)
    caches["template_fragments"].clear()
    with django_assert_max_num_queries(queries):
        assert client.get(url).text.count("Render again") == 8
