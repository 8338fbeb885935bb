"""Council reports render only what they should: escaped texts, no outside
resources, approved plans only, and archived files served only unchanged."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import ssl
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.request import HTTPSHandler

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.generic import StreamObject

from indicators.models import Indicator
from reports import pdf
from reports.models import Report
from reports.pdf import css_string, html_to_pdf, report_ua_stylesheet, report_url_fetcher
from reports.services import report_run, report_snapshot_build
from strategy.models import Action, AnnualPlan, FocusArea, PlanItem
from tests.factories import OrganisationFactory

from .conftest import pdf_facts, pdf_text

pytestmark = pytest.mark.django_db

ENVIRON_PROBE = "</style><link rel=attachment href=file:///proc/self/environ>"
PASSWD_PROBE = "</style><a rel=attachment href=file:///etc/passwd>passwd</a>"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def pdf_bytes_everywhere(content: bytes) -> bytes:
    """The PDF's raw bytes followed by every stream decompressed: an attached
    file's content is compressed inside the PDF, so the raw bytes alone would
    not show it."""
    reader = PdfReader(BytesIO(content))
    numbers = {number for objects in reader.xref.values() for number in objects} | set(reader.xref_objStm)
    parts = [content]
    for number in sorted(numbers):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data())
    return b"\n".join(parts)


def attachments(content: bytes) -> list[str]:
    """Names of the PDF's embedded files and file-attachment annotations."""
    reader = PdfReader(BytesIO(content))
    found = list(reader.attachments)
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
    return found


def assert_no_server_files(content: bytes) -> None:
    assert attachments(content) == []
    everything = pdf_bytes_everywhere(content)
    assert b"/EmbeddedFiles" not in everything
    assert b"/FileAttachment" not in everything
    assert b"root:x:0:0" not in everything
    assert settings.SECRET_KEY.encode() not in everything
    assert f"PATH={os.environ['PATH']}".encode() not in everything


def flat(text: str) -> str:
    """Text with all whitespace removed: a long title wraps where it likes."""
    return re.sub(r"\s+", "", text)


# --- 1. every text reaches WeasyPrint escaped --------------------------------------


def test_probe_markup_attaches_files_when_it_reaches_weasyprint_unescaped(tmp_path: Path) -> None:
    """The probe is real: the same markup, unescaped, makes WeasyPrint attach
    a file, so the tests below would see it. (A file in a temporary folder,
    served by a fetcher without the report's restrictions.)"""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 leaked")
    html = f"<html><head><title>t</title></head><body><p>x</p><a rel=attachment href={secret.as_uri()}>a</a></body></html>"
    content = HTML(string=html, url_fetcher=URLFetcher()).write_pdf()
    assert attachments(content)
    assert b"root:x:0:0" in pdf_bytes_everywhere(content)


def injected_world(report_world):  # type: ignore[no-untyped-def]
    """Markup that asks WeasyPrint for server files, in every text the report prints."""
    strategy = report_world.strategy
    for code in ("fi", "sv", "en"):
        setattr(strategy, f"title_{code}", ENVIRON_PROBE)
        setattr(strategy, f"motto_{code}", PASSWD_PROBE)
    strategy.save()
    area = FocusArea.objects.get(strategy=strategy, number="3.1")
    action = Action.objects.get(strategy=strategy, focus_area=area)
    indicator = Indicator.objects.get(strategy=strategy)
    for code in ("fi", "sv", "en"):
        setattr(area, f"title_{code}", PASSWD_PROBE)
        setattr(area, f"description_{code}", ENVIRON_PROBE)
        setattr(action, f"title_{code}", ENVIRON_PROBE)
        setattr(indicator, f"name_{code}", PASSWD_PROBE)
        setattr(indicator, f"unit_of_measure_{code}", ENVIRON_PROBE)
    area.save()
    action.save()
    indicator.save()
    PlanItem.objects.filter(action=action).update(year_end_assessment=PASSWD_PROBE)
    return report_world


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_markup_in_strategy_texts_is_printed_as_text_and_attaches_nothing(
    report_world, media_root, language: str, tmp_path: Path, monkeypatch
) -> None:
    world = injected_world(report_world)
    fetchers: list[object] = []
    real_fetcher = pdf.report_url_fetcher
    monkeypatch.setattr(pdf, "report_url_fetcher", lambda: fetchers.append(1) or real_fetcher())
    # The worker's path: order, freeze the snapshot, render, store.
    report = Report.objects.create(strategy=world.strategy, year=2024, language=language)
    report = report_run(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    content = default_storage.open(report.file.name).read()
    assert fetchers, "the report was rendered without the report's URL fetcher"

    assert_no_server_files(content)
    reader = PdfReader(BytesIO(content))
    assert reader.metadata.title.startswith(ENVIRON_PROBE + " \u2013 ")
    text = flat(pdf_text(content, tmp_path))
    assert flat(ENVIRON_PROBE) in text  # cover, headers and the action
    assert flat(PASSWD_PROBE) in text  # motto, focus area, indicator, assessment
    # The running header (a CSS string) carries the title on every page after the cover.
    assert text.count(flat(ENVIRON_PROBE)) >= len(reader.pages)
    assert f"3.1 {PASSWD_PROBE}" in pdf_facts(content)["bookmarks"]


def test_render_command_uses_the_reports_fetcher_and_attaches_nothing(report_world, tmp_path: Path, monkeypatch) -> None:
    injected_world(report_world)
    fetchers: list[object] = []
    real_fetcher = pdf.report_url_fetcher
    monkeypatch.setattr(pdf, "report_url_fetcher", lambda: fetchers.append(1) or real_fetcher())
    output = tmp_path / "report.pdf"
    call_command("render_report", strategy=report_world.strategy.slug, year=2024, language="fi", output=str(output))
    assert fetchers
    assert_no_server_files(output.read_bytes())


@pytest.mark.parametrize(
    "text",
    [ENVIRON_PROBE, 'a"b\\c', "line\nbreak\r\x00\x1b\u2028end", "it's <b>&amp;</b>"],
)
def test_css_strings_cannot_close_the_style_element(text: str) -> None:
    quoted = css_string(text)
    inner = quoted[1:-1]
    for forbidden in ("<", ">", "&", '"', "'", "\n", "\r", "\x00", "\u2028"):
        assert forbidden not in inner
    # CSS hex escapes: decoding them gives the text back.
    decoded = re.sub(r"\\([0-9a-f]{1,6}) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text


def test_markup_in_texts_never_reaches_the_html_as_markup(report_world) -> None:
    injected_world(report_world)
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi")
    html = pdf.build_html(snapshot)
    assert "<link rel=attachment" not in html
    assert "<a rel=attachment" not in html
    assert html.count("</style>") == 1
    assert "&lt;/style&gt;&lt;link rel=attachment" in html


# --- 2. the URL fetcher serves bundled static files and data: URIs only -----------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/x",
        "ftp://example.org/x",
        "file:///{static}/../../../etc/passwd",
    ],
)
def test_fetcher_refuses_everything_but_static_files_and_data(url: str, caplog) -> None:
    static = Path(settings.STATICFILES_DIRS[0]).resolve()
    url = url.replace("/{static}", str(static))
    with caplog.at_level(logging.WARNING, logger="reports.pdf"), pytest.raises(ValueError):
        report_url_fetcher().fetch(url)
    assert [record.levelno for record in caplog.records if record.name == "reports.pdf"] == [logging.WARNING]


def test_fetcher_refuses_files_outside_static_and_links_leading_out(settings, tmp_path: Path, caplog) -> None:
    static = tmp_path / "static"
    static.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (static / "link.txt").symlink_to(outside)
    (static / "inside.txt").write_text("bundled")
    settings.STATICFILES_DIRS = [static]
    fetcher = report_url_fetcher()
    for path in (outside, static / "link.txt", static / "missing.txt"):
        with caplog.at_level(logging.WARNING, logger="reports.pdf"), pytest.raises(ValueError):
            fetcher.fetch(path.as_uri())
    response = fetcher.fetch((static / "inside.txt").as_uri())
    try:
        assert response.read() == b"bundled"
    finally:
        response.close()
    assert len([r for r in caplog.records if r.name == "reports.pdf" and r.levelno == logging.WARNING]) == 3


def test_fetcher_could_verify_no_tls_connection_and_costs_no_certificate_loading(monkeypatch) -> None:
    """Nothing is fetched over the network; the HTTPS handler that WeasyPrint's
    fetcher has anyway trusts no certificate authority (loading the system's
    took 30 ms a fetcher), and so does the fetcher of the user-agent stylesheet."""
    [handler] = [h for h in report_url_fetcher().handlers if isinstance(h, HTTPSHandler)]
    context = handler._context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    made: list[int] = []
    real_fetcher = pdf.report_url_fetcher
    monkeypatch.setattr(pdf, "report_url_fetcher", lambda: made.append(1) or real_fetcher())
    report_ua_stylesheet.cache_clear()
    try:
        assert report_ua_stylesheet() is not None
    finally:
        report_ua_stylesheet.cache_clear()
    assert made == [1]


def test_fetcher_serves_data_uris_and_bundled_static_files() -> None:
    fetcher = report_url_fetcher()
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
    response.close()
    css = Path(settings.STATICFILES_DIRS[0]) / "suunta" / "suunta.css"
    response = fetcher.fetch(css.resolve().as_uri())
    try:
        assert response.read() == css.read_bytes()
        assert response.content_type == "text/css"
    finally:
        response.close()


def test_rendering_leaves_out_what_the_fetcher_refuses(caplog) -> None:
    """Markup that asks for server files still gets nothing into the PDF."""
    html = (
        "<html lang=en><head><title>t</title>"
        "<link rel=attachment href=file:///etc/passwd>"
        "<link rel=stylesheet href=http://127.0.0.1:1/x.css></head>"
        "<body><p>text</p><img src=file:///etc/passwd alt=x>"
        "<a rel=attachment href=file:///proc/self/environ>e</a></body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        content = html_to_pdf(html, identifier="0" * 32)
    assert_no_server_files(content)
    refused = [r.getMessage() for r in caplog.records if r.name == "reports.pdf"]
    assert any("/etc/passwd" in message for message in refused)
    assert any("127.0.0.1:1" in message for message in refused)


# --- 3. only approved plans ---------------------------------------------------------


@pytest.fixture
def plans_in_every_state(report_world):  # type: ignore[no-untyped-def]
    """Next to the approved plans of the library and the museum, one unit's
    plan in each other state, each with an item text of its own."""
    world = report_world
    area = FocusArea.objects.get(strategy=world.strategy, number="3.1")
    texts = {}
    for status in (AnnualPlan.Status.DRAFT, AnnualPlan.Status.SUBMITTED, AnnualPlan.Status.RETURNED):
        unit = OrganisationFactory(name=f"Yksikkö {status}", slug=f"yksikko-{status}", parent=world.service_area)
        plan = AnnualPlan.objects.create(strategy=world.strategy, unit=unit, year=2024, status=status)
        action = Action.objects.create(strategy=world.strategy, focus_area=area, number=f"9-{status}", title_fi=f"Luonnostoimi {status}")
        texts[status] = f"Keskeneräinen arvio {status}"
        PlanItem.objects.create(plan=plan, action=action, progress=10, budget=Decimal("999"), year_end_assessment=texts[status])
    # An approved plan of a closed year stays in.
    AnnualPlan.objects.filter(strategy=world.strategy, unit=world.unit_a, year=2024).update(is_closed=True)
    world.unfinished = texts
    return world


def test_snapshot_holds_the_items_of_approved_plans_only(plans_in_every_state) -> None:
    world = plans_in_every_state
    snapshot = report_snapshot_build(strategy=world.strategy, year=2024, to_year=None, unit=None, language="fi")
    items = [item for area in snapshot["focus_areas"] for action in area["actions"] for item in action["items"]]
    assert sorted(item["unit"] for item in items) == ["Kirjasto", "Museo"]
    assert {item["plan_status"] for item in items} == {"Hyväksytty"}  # "Approved", frozen in Finnish
    assert snapshot["item_count"] == 2
    assert snapshot["budget_total"] == "20500"
    dumped = json.dumps(snapshot, ensure_ascii=False)
    for text in world.unfinished.values():
        assert text not in dumped
    for status in world.unfinished:
        assert f"Yksikkö {status}" not in dumped


def test_unit_report_of_a_unit_with_a_draft_plan_has_no_items(plans_in_every_state) -> None:
    world = plans_in_every_state
    unit = AnnualPlan.objects.get(strategy=world.strategy, status=AnnualPlan.Status.DRAFT).unit
    snapshot = report_snapshot_build(strategy=world.strategy, year=2024, to_year=None, unit=unit, language="fi")
    assert snapshot["item_count"] == 0
    assert world.unfinished[AnnualPlan.Status.DRAFT] not in json.dumps(snapshot, ensure_ascii=False)


def test_plan_returned_after_approval_leaves_the_report(report_world) -> None:
    AnnualPlan.objects.filter(unit=report_world.unit_b, year=2024).update(status=AnnualPlan.Status.RETURNED)
    snapshot = report_snapshot_build(strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi")
    assert "Senioripäiviä siirrettiin syksyyn." not in json.dumps(snapshot, ensure_ascii=False)
    assert snapshot["budget_total"] == "12500"


def test_viewer_downloads_a_report_without_the_drafts_hidden_from_them(plans_in_every_state, media_root, tmp_path: Path) -> None:
    world = plans_in_every_state
    draft = AnnualPlan.objects.get(strategy=world.strategy, status=AnnualPlan.Status.DRAFT)
    for persona in (world.viewer, world.otherhead):
        assert client_for(persona).get(reverse("plan-detail", args=[draft.pk])).status_code == 404
    report = Report.objects.create(strategy=world.strategy, year=2024, language="fi")
    report = report_run(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    response = client_for(world.viewer).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "Lukupiirejä pidettiin kaksitoista." in text
    for status, unfinished in world.unfinished.items():
        assert unfinished not in text
        assert f"Yksikkö {status}" not in text
    # The strategy's actions are listed whoever plans them; an action only in
    # unapproved plans is shown as not planned.
    assert re.search(r"9-draft Luonnostoimi draft\s+Ei kauden toimintasuunnitelmissa", text)
    with translation.override("fi"):
        notice = gettext("The report includes approved action plans only; drafts and plans awaiting approval are left out.")
    assert notice in " ".join(text.split())


# --- 4. downloads are checked against the stored SHA-256 ------------------------------


def stored_report(world, content: bytes) -> Report:  # type: ignore[no-untyped-def]
    """A finished report whose file holds ``content`` (no rendering needed)."""
    report = Report.objects.create(strategy=world.strategy, year=2024, language="fi")
    name = default_storage.save(f"reports/{world.strategy.pk}/{report.pk}/report.pdf", BytesIO(content))
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DONE, file=name, sha256=hashlib.sha256(content).hexdigest()
    )
    report.refresh_from_db()
    return report


def report_events(caplog) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """The report events of the security log (signing in writes its own)."""
    events = [json.loads(r.getMessage()) | {"level": r.levelno} for r in caplog.records if r.name == "suunta.security"]
    return [event for event in events if str(event["event"]).startswith("report.")]


def test_download_of_an_unchanged_file_is_served_and_logged(world, media_root, caplog) -> None:
    content = b"%PDF-1.7\n" + os.urandom(4096)
    report = stored_report(world, content)
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = client_for(world.viewer).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert int(response["Content-Length"]) == len(content)
    [event] = report_events(caplog)
    assert (event["event"], event["report"], event["sha256"], event["username"]) == (
        "report.download", report.pk, report.sha256, "viewer"
    )


def test_download_of_a_changed_file_is_refused_and_logged(world, media_root, caplog) -> None:
    content = b"%PDF-1.7\n" + os.urandom(4096)
    report = stored_report(world, content)
    path = Path(default_storage.path(report.file.name))
    path.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))  # one bit changed
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = client_for(world.viewer).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "The archived report has changed" in response.text
    assert "The administrator has been told." in response.text
    assert content[9:200] not in response.content
    [event] = report_events(caplog)
    assert (event["event"], event["report"], event["level"]) == ("report.integrity_failed", report.pk, logging.ERROR)


def test_download_of_a_vanished_file_is_refused_and_logged(world, media_root, caplog) -> None:
    report = stored_report(world, b"%PDF-1.7\nshort")
    Path(default_storage.path(report.file.name)).unlink()
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = client_for(world.owner).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 500
    assert [event["event"] for event in report_events(caplog)] == ["report.integrity_failed"]


def test_big_report_is_checked_and_served_whole(world, media_root) -> None:
    content = b"%PDF-1.7\n" + os.urandom(20 * 1024 * 1024)  # above what is checked in memory
    report = stored_report(world, content)
    response = client_for(world.owner).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(content)
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == report.sha256
    # ... and a change anywhere in it, not only at the start, is caught.
    path = Path(default_storage.path(report.file.name))
    with path.open("r+b") as handle:
        handle.seek(len(content) - 10)
        handle.write(b"X")
    response = client_for(world.owner).get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 500
