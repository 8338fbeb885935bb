"""Publishing a council report, and downloading it without signing in."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import Report
from strategy.models import Strategy
from tests.public.test_public_pages import approve, publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a council report\n"


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _report(
    strategy: Strategy, *, status: str = Report.Status.DONE, published: bool = False
) -> Report:
    report = Report.objects.create(
        strategy=strategy, year=2024, language="fi", status=status, published=published
    )
    if status == Report.Status.DONE:
        report.file.save("report.pdf", ContentFile(PDF), save=False)
        report.sha256 = hashlib.sha256(PDF).hexdigest()
        report.save()
    return report


def _download_url(strategy: Strategy, report: Report) -> str:
    return reverse(
        "public-report-download", args=[strategy.organisation.slug, strategy.slug, report.pk]
    )


@pytest.fixture
def public_strategy(world) -> Strategy:  # type: ignore[no-untyped-def]
    approve(world.strategy)
    publish(world.strategy)
    return world.strategy


def test_owner_publishes_a_done_report_and_residents_download_it(
    client, world, public_strategy, media_root
) -> None:
    report = _report(public_strategy)
    assert client.get(_download_url(public_strategy, report)).status_code == 404
    client.force_login(world.owner)
    page = client.get(
        reverse("report-status", args=[public_strategy.slug, report.pk])
    ).content.decode()
    assert reverse("report-publish", args=[public_strategy.slug, report.pk]) in page
    response = client.post(
        reverse("report-publish", args=[public_strategy.slug, report.pk]), {"published": "1"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.published
    client.logout()
    overview = client.get(
        reverse("public-strategy", args=[world.sector.slug, public_strategy.slug])
    ).content.decode()
    assert _download_url(public_strategy, report) in overview
    download = client.get(_download_url(public_strategy, report))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "public, max-age=300"
    again = client.get(
        _download_url(public_strategy, report), headers={"if-none-match": download["ETag"]}
    )
    assert again.status_code == 304


def test_owner_withdraws_a_report(client, world, public_strategy, media_root) -> None:
    report = _report(public_strategy, published=True)
    client.force_login(world.owner)
    client.post(
        reverse("report-publish", args=[public_strategy.slug, report.pk]), {"published": "0"}
    )
    client.logout()
    assert client.get(_download_url(public_strategy, report)).status_code == 404


def test_a_report_not_done_cannot_be_published(client, world, public_strategy) -> None:
    report = _report(public_strategy, status=Report.Status.QUEUED)
    client.force_login(world.owner)
    response = client.post(
        reverse("report-publish", args=[public_strategy.slug, report.pk]),
        {"published": "1"},
        follow=True,
    )
    assert "Only a finished report can be published." in response.content.decode()
    report.refresh_from_db()
    assert not report.published


@pytest.mark.parametrize("persona", ["head", "staff", "viewer"])
def test_only_owners_publish_reports(client, world, public_strategy, media_root, persona) -> None:
    report = _report(public_strategy)
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("report-publish", args=[public_strategy.slug, report.pk]), {"published": "1"}
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert not report.published


def test_published_report_of_an_unpublished_strategy_is_404(client, world, media_root) -> None:
    approve(world.strategy)
    report = _report(world.strategy, published=True)
    assert client.get(_download_url(world.strategy, report)).status_code == 404


def test_damaged_report_file_is_refused(client, public_strategy, media_root) -> None:
    report = _report(public_strategy, published=True)
    Path(report.file.path).write_bytes(b"changed on disk")
    response = client.get(_download_url(public_strategy, report))
    assert response.status_code == 500
