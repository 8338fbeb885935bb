"""Importing a StratML file through the pages: upload → preview → confirm,
hostile files refused with nothing written, and who may do it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from strategy.models import Goal, Strategy
from stratml.models import StratmlImportJob

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# The preview page: session, user, job (with its organisation and strategy), messages.
QUERIES = 4

SAMPLES = Path(__file__).resolve().parent / "samples"
SMALL_PLAN = b"""<?xml version="1.0" encoding="UTF-8"?>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>Tiny plan</Name>
<StrategicPlanCore><Goal><Name>Only goal</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>&lol4;</Name>
<StrategicPlanCore><Goal><Name>g</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE StrategicPlan [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>&secret;</Name>
<StrategicPlanCore><Goal><Name>g</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager():
    """Tasks run in this process when enqueued (what the worker would do)."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def _upload(
    client: Client, organisation, data: bytes, name: str = "plan.xml", language: str = "en"
):
    return client.post(
        reverse("stratml-import"),
        {
            "organisation": organisation.pk,
            "main_language": language,
            "file": SimpleUploadedFile(name, data),
        },
    )


def _owner(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def test_owner_uploads_previews_and_creates_the_strategy(
    world, eager, django_capture_on_commit_callbacks, media
) -> None:
    client = _owner(world)
    strategies = Strategy.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client, world.sector, (SAMPLES / "smlc-2011-annual-report-part2.xml").read_bytes()
        )
    job = StratmlImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "stratml-import-job", args=[job.pk]
    )
    assert job.status == StratmlImportJob.Status.READY
    assert not job.file  # read into the plan: the file is removed
    assert not list(Path(media).rglob("*.xml"))
    assert Strategy.objects.count() == strategies  # the preview writes nothing
    preview = client.get(response["Location"]).content.decode()
    for text in (
        "2011 Annual Report",
        "Strategic Plans",
        "ANSI/AIIM Publication",
        "Plans Converted",
        "Openness",
        "Not imported",
        "StrategicPlanCore[1]/Organization[1]/Name[1]",
        "@ValueChainStage",
    ):
        assert text in preview, text
    assert reverse("stratml-import-apply", args=[job.pk]) in preview
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("stratml-import-apply", args=[job.pk]))
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == StratmlImportJob.Status.DONE and job.strategy.organisation == world.sector
    assert job.strategy.status == Strategy.Status.DRAFT and job.strategy.main_language == "en"
    assert list(Goal.objects.filter(strategy=job.strategy).values_list("title", flat=True)) == [
        "Strategic Plans"
    ]
    page = client.get(reverse("stratml-import-job", args=[job.pk])).content.decode()
    assert reverse("strategy-detail", args=[job.strategy.slug]) in page
    # A second confirmation (a double click, a message delivered twice) creates nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stratml-import-apply", args=[job.pk]))
    assert Strategy.objects.count() == strategies + 1


def test_htmx_polling_gets_the_status_fragment(world, django_capture_on_commit_callbacks) -> None:
    client = _owner(world)
    _upload(client, world.sector, SMALL_PLAN)  # no worker: the job stays queued
    job = StratmlImportJob.objects.get()
    fragment = client.get(
        reverse("stratml-import-job", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"') and "every 1s" in fragment
    assert "<html" not in fragment


def test_cancel_discards_a_previewed_file(world, eager, django_capture_on_commit_callbacks) -> None:
    client = _owner(world)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world.sector, SMALL_PLAN)
    job = StratmlImportJob.objects.get()
    client.post(reverse("stratml-import-cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == StratmlImportJob.Status.CANCELLED and job.plan == {}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stratml-import-apply", args=[job.pk]))
    assert not Strategy.objects.filter(title="Tiny plan").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (BILLION_LAUGHS, "forbidden_xml"),
        (EXTERNAL_ENTITY, "forbidden_xml"),
        (b"this is not XML at all", "not_xml"),
        (b"<html><body>Hello</body></html>", "wrong_root"),
        (b"<StrategicPlan><Name>unterminated", "not_xml"),
    ],
    ids=["entity-expansion", "external-entity", "not-xml", "wrong-root", "broken-xml"],
)
def test_hostile_or_wrong_files_are_refused_and_nothing_is_written(
    world, eager, django_capture_on_commit_callbacks, data: bytes, code: str
) -> None:
    client = _owner(world)
    strategies = Strategy.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world.sector, data)
    job = StratmlImportJob.objects.get()
    assert job.status == StratmlImportJob.Status.INVALID
    assert job.errors == [{"code": code, "params": job.errors[0]["params"]}]
    assert job.plan == {} and not job.file
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was saved." in page and "lollol" not in page and "root:" not in page
    assert reverse("stratml-import-apply", args=[job.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stratml-import-apply", args=[job.pk]))
    assert Strategy.objects.count() == strategies


def test_oversize_and_wrongly_named_files_are_refused_before_storing(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SUUNTA_STRATML_MAX_BYTES = 1024
    client = _owner(world)
    too_big = _upload(client, world.sector, SMALL_PLAN + b"<!--" + b"x" * 2000 + b"-->")
    assert too_big.status_code == 422 and "larger than 1 MB" in too_big.content.decode()
    wrong = _upload(client, world.sector, SMALL_PLAN, name="plan.docx")
    assert wrong.status_code == 422 and "Only StratML files (.xml)" in wrong.content.decode()
    assert not StratmlImportJob.objects.exists()


def test_worker_refuses_a_stored_file_grown_past_the_limit(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    from stratml.services import stratml_import_preview

    client = _owner(world)
    _upload(client, world.sector, SMALL_PLAN)
    settings.SUUNTA_STRATML_MAX_BYTES = 10
    job = stratml_import_preview(job_id=StratmlImportJob.objects.get().pk)
    assert (
        job.status == StratmlImportJob.Status.INVALID and job.errors[0]["code"] == "file_too_large"
    )


def test_another_owners_organisation_is_not_found(world) -> None:
    client = _owner(world)
    other = OrganisationFactory(name="Naapurikunta")
    response = _upload(client, other, SMALL_PLAN)
    assert response.status_code == 404
    assert not StratmlImportJob.objects.exists()


@pytest.mark.parametrize("persona", ["head", "staff", "otherhead", "viewer"])
def test_people_who_own_no_organisation_cannot_import(world, persona: str) -> None:
    client = Client()
    client.force_login(getattr(world, persona))
    assert client.get(reverse("stratml-import")).status_code == 404
    assert _upload(client, world.sector, SMALL_PLAN).status_code == 404
    assert not StratmlImportJob.objects.exists()


def test_someone_elses_job_is_not_found(world, django_capture_on_commit_callbacks) -> None:
    _upload(_owner(world), world.sector, SMALL_PLAN)
    job = StratmlImportJob.objects.get()
    client = Client()
    client.force_login(world.head)
    for name in ("stratml-import-job",):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    for name in ("stratml-import-apply", "stratml-import-cancel"):
        assert client.post(reverse(name, args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == StratmlImportJob.Status.QUEUED


def test_anonymous_visitors_are_sent_to_sign_in(world) -> None:
    response = Client().get(reverse("stratml-import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_stale_and_unconfirmed_jobs_end_and_lose_their_files(
    world, eager, django_capture_on_commit_callbacks, media
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from stratml.services import stratml_import_jobs_fail_stale

    client = _owner(world)
    _upload(client, world.sector, SMALL_PLAN)  # queued, no worker
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world.sector, SMALL_PLAN)  # read: waiting for confirmation
    queued, ready = StratmlImportJob.objects.order_by("pk")
    assert (queued.status, ready.status) == ("queued", "ready") and queued.file
    later = timezone.now() + timedelta(days=2)
    assert stratml_import_jobs_fail_stale(now=later) == 2
    queued.refresh_from_db()
    ready.refresh_from_db()
    assert (queued.status, ready.status) == ("failed", "cancelled")
    assert not queued.file and not list(Path(media).rglob("*.xml"))


@pytest.mark.parametrize("sample", ["tiny", "smlc-2011-annual-report-part2.xml"])
def test_preview_page_queries_do_not_grow_with_the_file(
    world, eager, django_capture_on_commit_callbacks, django_assert_max_num_queries, sample: str
) -> None:
    client = _owner(world)
    data = SMALL_PLAN if sample == "tiny" else (SAMPLES / sample).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world.sector, data)
    job = StratmlImportJob.objects.get()
    # The preview is stored as one JSON value: the same queries for a tiny plan and a report.
    with django_assert_max_num_queries(QUERIES):
        assert client.get(reverse("stratml-import-job", args=[job.pk])).status_code == 200


def test_a_100_mb_file_is_refused_by_its_size_alone() -> None:
    from stratml.services import StratmlUploadError, check_upload

    with pytest.raises(StratmlUploadError) as refused:
        check_upload(name="huge.xml", size=100 * 1024 * 1024)
    assert refused.value.code == "file_too_large" and refused.value.params == {"limit": 5}
