"""Response headers: private pages are never stored, browser features are
denied, the CSP allows no inline styles and no page needs them, and files
under MEDIA_ROOT are reachable only through permission-checked views."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import clear_url_caches, reverse

from accounts.middleware_headers import PrivateCacheMiddleware
from indicators.models import Indicator, Measurement, Target
from maturity.models import AssessmentRound
from reports.models import Report
from strategy.models import PlanItem
from tests.conftest import World
from tests.maturity.conftest import agree, answer, build_matrix, colleague, open_round
from tests.strategy.plan_fixtures import make_plan

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def finished_report(world: World, **fields: object) -> Report:
    """A finished report whose stored file (a stand-in for a rendered PDF) matches its checksum."""
    content = b"%PDF-1.7\n% a stand-in for a rendered report\n"
    report = Report.objects.create(
        strategy=world.strategy, year=2024, language="fi", status=Report.Status.DONE,
        sha256=hashlib.sha256(content).hexdigest(), **fields,
    )  # fmt: skip
    report.file.save("raportti.pdf", ContentFile(content))
    return report


def demo_pages(world: World) -> list[tuple[str, str]]:
    """Fill the world with a year of work and return (username, URL) of every
    main page: plans with progress, indicators with charts, a maturity round
    with enough answers to show the distribution, a finished report."""
    strategy = world.strategy
    slug = strategy.slug
    library = make_plan(world, world.unit_a)
    make_plan(world, world.unit_b)
    PlanItem.objects.filter(plan=library).update(progress=45)

    visitors = Indicator.objects.create(
        strategy=strategy, name_fi="Kävijämäärä", unit_of_measure="käyntiä", direction="increase",
        baseline_year=2021, baseline_value=Decimal(1000),
    )  # fmt: skip
    Target.objects.create(indicator=visitors, year=2025, unit=world.unit_a, value=Decimal(1500))
    Target.objects.create(indicator=visitors, year=2025, value=Decimal(3000))
    for year, value in ((2022, 1100), (2023, 1250), (2024, 1400)):
        Measurement.objects.create(indicator=visitors, year=year, unit=world.unit_a, value=Decimal(value))
        Measurement.objects.create(indicator=visitors, year=year, value=Decimal(2 * value))

    matrix = build_matrix(strategy)
    this_year = open_round(matrix, [world.unit_a, world.unit_b])
    last_year = open_round(
        matrix, [world.unit_a, world.unit_b], year=this_year.year - 1, status=AssessmentRound.Status.CLOSED,
        opens=datetime.date(this_year.year - 1, 9, 1), closes=datetime.date(this_year.year - 1, 10, 1),
    )  # fmt: skip
    agree(last_year, world.unit_a, [1, 2, 2, 1, 1])
    agree(last_year, world.unit_b, [2, 2, 3, 1, 2])
    answer(this_year, world.unit_a, world.staff, [2, 3, 1, 4, 2])
    answer(this_year, world.unit_a, colleague(world.unit_a, "kollega1"), [2, 3, 2, 3, 2])
    answer(this_year, world.unit_a, colleague(world.unit_a, "kollega2"), [3, 3, 2, 4, 2])
    # The staff member's own form, still open for changes.
    answer(this_year, world.unit_b, colleague(world.unit_b, "museolainen"), [1, 1, 1, 1, 1], submit=False)

    report = finished_report(world, requested_by=world.owner)

    unit = world.unit_a.slug
    return [
        ("owner", reverse("strategy-detail", args=[slug])),
        ("owner", reverse("plan-list", args=[slug])),
        ("owner", reverse("plan-detail", args=[library.pk])),
        ("owner", reverse("roadmap", args=[slug])),
        ("owner", reverse("indicator-list", args=[slug])),
        ("owner", reverse("indicator-detail", args=[slug, visitors.pk])),
        ("owner", reverse("maturity-overview", args=[slug])),
        ("owner", reverse("maturity-heatmap", args=[slug])),
        ("owner", reverse("maturity-unit-result", args=[slug, this_year.pk, unit])),
        ("owner", reverse("maturity-unit-history", args=[slug, unit])),
        ("owner", reverse("report-list", args=[slug])),
        ("owner", reverse("report-status", args=[slug, report.pk])),
        ("staff", reverse("maturity-assess", args=[slug, this_year.pk, unit])),
        ("head", reverse("my-units")),
    ]


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def pages(world: World, media_root: Path) -> list[tuple[str, str]]:
    return demo_pages(world)


def client_for(world: World, username: str) -> Client:
    client = Client()
    client.force_login(getattr(world, username))
    return client


def test_signed_in_page_is_private_and_not_stored(world) -> None:
    response = client_for(world, "owner").get(reverse("strategy-detail", args=[world.strategy.slug]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE


def test_htmx_fragment_is_private_and_not_stored(world) -> None:
    plan = make_plan(world, world.unit_a)
    response = client_for(world, "head").get(reverse("plan-detail", args=[plan.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.headers["Cache-Control"] == PRIVATE


def test_report_download_is_private_and_not_stored(world, media_root) -> None:
    report = finished_report(world)
    response = client_for(world, "viewer").get(reverse("report-download", args=[world.strategy.slug, report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response.headers["Cache-Control"] == PRIVATE


def test_plan_export_is_private_and_not_stored(world) -> None:
    plan = make_plan(world, world.unit_a)
    response = client_for(world, "head").get(reverse("plan-export-xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.headers["Cache-Control"] == PRIVATE


def test_a_views_own_caching_does_not_outlive_the_session(world, rf) -> None:
    """Even where a view asks for public caching, a signed-in person's copy is not kept."""

    def view(request: object) -> HttpResponse:
        response = HttpResponse("private figures")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = world.owner
    assert PrivateCacheMiddleware(view)(request).headers["Cache-Control"] == PRIVATE
    request.user = AnonymousUser()
    assert PrivateCacheMiddleware(view)(request).headers["Cache-Control"] == "public, max-age=3600"


@pytest.fixture
def static_files(settings) -> None:
    """WhiteNoise serves static files straight from the app folders, as with ``make run``."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_keep_their_public_caching(world, static_files, signed_in: bool) -> None:
    client = client_for(world, "owner") if signed_in else Client()
    response = client.get("/static/suunta/suunta.css")
    assert response.status_code == 200
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" not in cache_control and "private" not in cache_control
    assert "max-age" in cache_control


@pytest.mark.parametrize("signed_in", [False, True])
def test_permissions_policy_denies_unused_browser_features(world, signed_in: bool) -> None:
    client = client_for(world, "owner") if signed_in else Client()
    response = client.get(reverse("strategy-detail", args=[world.strategy.slug]) if signed_in else reverse("login"))
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "interest-cohort"):
        assert f"{feature}=()" in policy


def test_csp_allows_no_inline_styles(world) -> None:
    response = client_for(world, "owner").get(reverse("strategy-detail", args=[world.strategy.slug]))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "unsafe-inline" not in policy
    assert directives["style-src"].split()[0] == "'self'"


def _style_elements_without_nonce(html: str, nonce: str) -> list[str]:
    return [tag for tag in re.findall(r"<style\b[^>]*>", html) if f'nonce="{nonce}"' not in tag]


def test_main_pages_carry_no_inline_styles(world, pages) -> None:
    clients = {username: client_for(world, username) for username in ("owner", "head", "staff")}
    drew = {"svg": 0, "progress": 0}
    for username, url in pages:
        response = clients[username].get(url)
        assert response.status_code == 200, url
        html = response.text
        policy = response.headers["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert "unsafe-inline" not in policy, url
        assert not re.findall(r"\sstyle\s*=", html), (url, re.findall(r".{60}\sstyle\s*=.{60}", html)[:3])
        assert not _style_elements_without_nonce(html, nonce.group(1) if nonce else ""), url
        drew["svg"] += html.count("<svg")
        drew["progress"] += html.count("<progress")
    # The pages drew charts and bars, so the assertions above had something to check.
    assert drew["svg"] >= 4 and drew["progress"] >= 4, drew


def test_htmx_fragments_with_charts_carry_no_inline_styles(world, pages) -> None:
    client = client_for(world, "owner")
    for url in (reverse("indicator-list", args=[world.strategy.slug]), next(url for _, url in pages if "/indicators/" in url and url[-2].isdigit())):
        html = client.get(url, headers={"HX-Request": "true"}).text
        assert "<svg" in html and "<html" not in html
        assert "<style" not in html and not re.findall(r"\sstyle\s*=", html)


@pytest.fixture
def debug_urls(settings) -> Iterator[None]:
    """The URLs as ``make run`` builds them: config.urls imported with DEBUG on."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    try:
        yield
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()


@pytest.mark.parametrize("username", ["", "viewer", "owner"])
def test_report_file_is_not_served_under_media_url_in_debug_mode(world, media_root, debug_urls, username: str) -> None:
    report = finished_report(world)
    assert (media_root / report.file.name).exists()
    client = client_for(world, username) if username else Client()
    assert client.get(f"/media/{report.file.name}").status_code == 404
    # The permission-checked view still hands it to those who may read it.
    if username:
        assert client.get(reverse("report-download", args=[world.strategy.slug, report.pk])).status_code == 200
