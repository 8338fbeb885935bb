"""GET /api/v1/reports/<id>/download/: the integrity-checked path of the report pages."""

from __future__ import annotations

import pytest

from .conftest import PDF

pytestmark = pytest.mark.django_db


def test_download_serves_the_pdf_that_was_rendered(api_world, as_persona):
    response = as_persona("viewer").get(f"/api/v1/reports/{api_world.report_all.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_download_accepts_a_pdf_accept_header(api_world, as_persona):
    response = as_persona("viewer").get(
        f"/api/v1/reports/{api_world.report_all.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200


def test_a_changed_file_is_refused_with_500_and_logged(api_world, as_persona, caplog):
    report = api_world.report_all
    with open(report.file.path, "ab") as stored:
        stored.write(b"tampered")
    response = as_persona("viewer").get(f"/api/v1/reports/{report.pk}/download/")
    assert response.status_code == 500
    assert response.json()["detail"]
    assert any("report.integrity_failed" in record.getMessage() for record in caplog.records)


def test_a_report_not_done_has_no_download(api_world, as_persona):
    report = api_world.report_all
    report.status = report.Status.RUNNING
    report.save()
    client = as_persona("owner")
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["download"] is None
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_report_rows_link_their_download(api_world, as_persona):
    body = as_persona("owner").get(f"/api/v1/reports/{api_world.report_all.pk}/").json()
    assert body["download"].endswith(f"/api/v1/reports/{api_world.report_all.pk}/download/")
    assert body["sha256"] == api_world.report_all.sha256
