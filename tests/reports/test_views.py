"""Ordering, listing, polling and downloading reports: who may do what."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from config.celery import app
from reports.models import Report
from strategy.models import Organisation, Role, Strategy
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def eager(media_root) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Run the rendering task in-process when the order commits."""
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def order(client: Client, strategy: Strategy, **data: object) -> object:
    payload = {"year": 2024, "to_year": "", "language": "fi", "unit": "", **data}
    return client.post(reverse("report-order", args=[strategy.slug]), payload)


def test_owner_sees_the_ordering_form(world) -> None:
    response = client_for(world.owner).get(reverse("report-list", args=[world.strategy.slug]))
    assert response.status_code == 200
    assert reverse("report-order", args=[world.strategy.slug]) in response.text
    assert 'name="to_year"' in response.text


def test_staff_sees_no_form_and_cannot_order(world, django_capture_on_commit_callbacks) -> None:
    client = client_for(world.staff)
    response = client.get(reverse("report-list", args=[world.strategy.slug]))
    assert response.status_code == 200
    assert 'name="year"' not in response.text
    with django_capture_on_commit_callbacks() as callbacks:
        assert order(client, world.strategy).status_code == 403
    assert not Report.objects.exists()
    assert callbacks == []


def test_order_creates_next_version_and_enqueues_after_commit(world, django_capture_on_commit_callbacks, monkeypatch) -> None:
    from reports import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: sent.append(report_id))
    client = client_for(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = order(client, world.strategy)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        order(client, world.strategy)
    with django_capture_on_commit_callbacks(execute=True):
        order(client, world.strategy, language="sv")
    reports = list(Report.objects.order_by("pk"))
    assert [(r.language, r.version) for r in reports] == [("fi", 1), ("fi", 2), ("sv", 1)]
    assert reports[0].requested_by == world.owner
    assert reports[0].status == Report.Status.QUEUED
    assert sent == [r.pk for r in reports]


def test_council_term_order_keeps_the_range(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks():
        order(client_for(world.owner), world.strategy, year=2022, to_year=2025)
    report = Report.objects.get()
    assert (report.year, report.to_year) == (2022, 2025)


def test_range_ending_before_it_starts_is_refused(world) -> None:
    response = order(client_for(world.owner), world.strategy, year=2025, to_year=2023)
    assert response.status_code == 422
    assert "The last year cannot be before the first year." in response.content.decode()
    assert not Report.objects.exists()


def test_unit_head_orders_for_own_unit_only(world, django_capture_on_commit_callbacks) -> None:
    client = client_for(world.head)
    assert order(client, world.strategy, unit=world.unit_b.pk).status_code == 422
    assert order(client, world.strategy).status_code == 422  # the whole strategy is the owner's
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks():
        assert order(client, world.strategy, unit=world.unit_a.pk).status_code == 302
    assert Report.objects.get().unit == world.unit_a


def test_htmx_order_returns_the_list_with_a_polling_row(world, django_capture_on_commit_callbacks) -> None:
    client = client_for(world.owner)
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("report-order", args=[world.strategy.slug]),
            {"year": 2024, "language": "fi"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    report = Report.objects.get()
    text = response.text
    assert "<html" not in text
    assert 'id="report-area"' in text
    assert f'id="report-{report.pk}"' in text
    assert 'hx-trigger="every 2s"' in text


def test_status_fragment_polls_until_done_then_offers_the_download(report_world, eager, django_capture_on_commit_callbacks) -> None:
    client = client_for(report_world.owner)
    with django_capture_on_commit_callbacks() as callbacks:
        order(client, report_world.strategy)
    report = Report.objects.get()
    url = reverse("report-status", args=[report_world.strategy.slug, report.pk])
    pending = client.get(url, headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 2s"' in pending and "Download PDF" not in pending
    for callback in callbacks:
        callback()  # the commit: the eager task renders the report
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    done = client.get(url, headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in done
    assert reverse("report-download", args=[report_world.strategy.slug, report.pk]) in done
    assert report.sha256 in done
    page = client.get(url)
    assert "<html" in page.text and report.sha256 in page.text


def test_download_is_the_stored_pdf(report_world, eager, django_capture_on_commit_callbacks) -> None:
    client = client_for(report_world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        order(client, report_world.strategy)
    report = Report.objects.get()
    response = client.get(reverse("report-download", args=[report_world.strategy.slug, report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="kulttuuristrategia-2024-fi-v1.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-1.7")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.sha256
    # The list shows who ordered it and its checksum.
    listing = client_for(report_world.viewer).get(reverse("report-list", args=[report_world.strategy.slug])).text
    assert report.sha256 in listing and "owner" in listing


def test_pending_report_has_no_download(world) -> None:
    report = Report.objects.create(strategy=world.strategy, year=2024, language="fi", requested_by=world.owner)
    response = client_for(world.owner).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 404


@pytest.fixture
def hidden(world):  # type: ignore[no-untyped-def]
    """A draft strategy of another city, with a finished report: unseen by the world's users."""
    other_city = OrganisationFactory(kind=Organisation.Kind.CITY, name="Muukaupunki")
    strategy = StrategyFactory(organisation=other_city, status=Strategy.Status.DRAFT, slug="salainen")
    report = Report.objects.create(
        strategy=strategy, year=2024, language="fi", status=Report.Status.DONE, file="reports/x.pdf", sha256="0" * 64
    )
    insider = UserFactory(username="insider")
    MembershipFactory(user=insider, organisation=other_city, role=Role.OWNER)
    return strategy, report, insider


@pytest.mark.parametrize("persona", ["owner", "head", "staff", "otherhead", "viewer"])
def test_user_without_access_gets_404_for_reports_and_downloads(world, hidden, persona: str) -> None:
    strategy, report, _insider = hidden
    client = client_for(getattr(world, persona))
    assert client.get(reverse("report-list", args=[strategy.slug])).status_code == 404
    assert client.get(reverse("report-status", args=[strategy.slug, report.pk])).status_code == 404
    assert client.get(reverse("report-download", args=[strategy.slug, report.pk])).status_code == 404
    assert order(client, strategy).status_code == 404
    assert Report.objects.count() == 1


def test_insider_sees_the_hidden_strategys_reports(world, hidden) -> None:
    strategy, report, insider = hidden
    client = client_for(insider)
    assert client.get(reverse("report-list", args=[strategy.slug])).status_code == 200
    assert client.get(reverse("report-status", args=[strategy.slug, report.pk])).status_code == 200


def test_unit_report_is_hidden_from_other_units(world) -> None:
    report = Report.objects.create(strategy=world.strategy, unit=world.unit_a, year=2024, language="fi")
    url = reverse("report-status", args=[world.strategy.slug, report.pk])
    assert client_for(world.otherhead).get(url).status_code == 404
    assert client_for(world.head).get(url).status_code == 200
    assert client_for(world.owner).get(url).status_code == 200
    listing = client_for(world.otherhead).get(reverse("report-list", args=[world.strategy.slug])).text
    assert f'id="report-{report.pk}"' not in listing


def test_anonymous_is_sent_to_login(world) -> None:
    response = Client().get(reverse("report-list", args=[world.strategy.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_queries_do_not_grow_with_reports(world, django_assert_max_num_queries) -> None:
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    Report.objects.create(strategy=world.strategy, year=2024, language="fi", requested_by=world.owner)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for version in range(2, 12):
        Report.objects.create(strategy=world.strategy, year=2024, language="fi", version=version, requested_by=world.head, unit=world.unit_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count('hx-trigger="every 2s"') == 11
