"""Ordering a council report in Chromium: the row updates itself until the download appears."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.reports.conftest import media_root, report_world  # noqa: F401  (fixtures)

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_orders_a_report_and_the_status_updates_until_download(
    report_world, media_root, celery_worker_process, page, login  # noqa: F811
) -> None:
    login(page, "owner")
    page.goto(f"/strategies/{report_world.strategy.slug}/reports/")
    assert_accessible(page)
    page.locator("form.report-order select[name='year']").select_option("2024")
    page.locator("form.report-order select[name='language']").select_option("fi")
    page.locator("form.report-order [type='submit']").click()

    # htmx swapped the list in place: no page load, and the new row polls.
    row = page.locator("tr[id^='report-']").first
    row.wait_for()
    report = Report.objects.get()
    assert row.get_attribute("id") == f"report-{report.pk}"
    assert page.url.endswith(f"/strategies/{report_world.strategy.slug}/reports/")

    download = row.locator("a[href$='/download/']")
    download.wait_for(timeout=180_000)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert row.get_attribute("hx-get") is None  # polling stopped
    assert report.sha256 in row.inner_text()
    assert_accessible(page)

    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert re.search(r'filename="kulttuuristrategia-2024-fi-v1\.pdf"', response.headers["content-disposition"])
    assert response.body().startswith(b"%PDF")


def test_order_form_works_without_javascript(
    report_world, media_root, browser, live_server, login, monkeypatch  # noqa: F811
) -> None:
    from reports import tasks

    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: None)  # no worker here
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="fi-FI")
    try:
        plain = context.new_page()
        login(plain, "owner")
        plain.goto(f"/strategies/{report_world.strategy.slug}/reports/")
        plain.locator("form.report-order select[name='year']").select_option("2023")
        with plain.expect_navigation():
            plain.locator("form.report-order [type='submit']").click()
        report = Report.objects.get()
        assert report.year == 2023
        assert plain.url.endswith(f"/strategies/{report_world.strategy.slug}/reports/")
        # Without JavaScript the pending row offers a link that shows the current status.
        refresh = plain.locator(f"#report-{report.pk} a.report-refresh")
        assert refresh.count() == 1
        # The click returns once the new page is committed, not loaded: wait for the load.
        with plain.expect_navigation():
            refresh.click()
        assert plain.url.endswith(f"/reports/{report.pk}/")
        expect(plain.locator(f"#report-{report.pk} .badge--queued")).to_have_count(1)
    finally:
        context.close()
