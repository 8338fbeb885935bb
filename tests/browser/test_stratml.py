"""The StratML import pages pass axe in Finnish and in Swedish, on a desktop
and on a 390 px phone: the upload form (and its errors), a preview with what
will be created and what cannot be imported, its htmx state after
confirming, a refused file and a finished import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from stratml.models import StratmlImportJob
from stratml.services import (
    stratml_import_apply,
    stratml_import_create,
    stratml_import_preview,
    stratml_import_start_apply,
)

from .axe import assert_accessible
from .test_editor_pages_axe import PHONE, assert_no_sideways_scroll, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parent.parent / "stratml" / "samples"


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('set_language')}'] [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _job(world, data: bytes) -> StratmlImportJob:  # type: ignore[no-untyped-def]
    """A job read as the worker reads it (the test has no worker)."""
    job = stratml_import_create(
        organisation=world.sector,
        user=world.owner,
        upload=SimpleUploadedFile("plan.xml", data),
        main_language="en",
    )
    return stratml_import_preview(job_id=job.pk)  # type: ignore[return-value]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_stratml_import_pages_pass_axe(page, login, world, language: str) -> None:  # type: ignore[no-untyped-def]
    ready = _job(world, (SAMPLES / "smlc-2011-annual-report-part2.xml").read_bytes())
    done = _job(world, (SAMPLES / "white-house-oai-2017-part1.xml").read_bytes())
    stratml_import_start_apply(job=done)
    stratml_import_apply(job_id=done.pk)
    refused = _job(world, b"<html><body>not a plan</body></html>")
    assert (ready.status, refused.status) == ("ready", "invalid")

    login(page, "owner")
    page.goto(reverse("stratml-import"))
    switch_language(page, language)
    assert_accessible(page)
    # The form's errors: sent without a file.
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    assert_accessible(page)

    for job in (ready, done, refused):
        visit(page, reverse("stratml-import-job", args=[job.pk]), language)
    page.set_viewport_size(PHONE)
    for url in (reverse("stratml-import"), reverse("stratml-import-job", args=[ready.pk])):
        visit(page, url, language)
        assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The htmx state after confirming: the status fragment polls while the worker creates the strategy.
    page.goto(reverse("stratml-import-job", args=[ready.pk]))
    page.locator(
        f"form[action='{reverse('stratml-import-apply', args=[ready.pk])}'] button"
    ).click()
    expect(page.locator("#import-status .badge--applying")).to_be_visible()
    assert_accessible(page)
