"""An anonymous reader follows every link of the public pages over the demo
data and never meets a draft, an unapproved edit, a comment, a plan item's
text or the name of a person who has not chosen to be shown."""

from __future__ import annotations

import datetime
import hashlib
import html
import re
from collections import deque
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from demo import helsinki
from demo.loader import demo_load
from indicators.models import Indicator
from reports.models import Report
from strategy.models import FocusArea, PlanComment, PlanItem, ProgressUpdate, Strategy

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
# Links that leave the pages under test: the language switch (a redirect that
# sets a cookie) and the search, which has its own tests.
SKIPPED = ("/public/language/", "/public/search/")


def _crawl(client: Client) -> tuple[dict[str, str], dict[str, int]]:
    """Every page reachable from /public/ within /public/: path → text; and
    the status of every download."""
    pages: dict[str, str] = {}
    downloads: dict[str, int] = {}
    queue = deque(["/public/"])
    seen = {"/public/"}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if path.endswith("/download/"):
            downloads[path] = response.status_code
            continue
        assert response.status_code == 200, path
        text = response.content.decode()
        pages[path] = text
        for href in HREF.findall(text):
            href = html.unescape(href).split("#")[0]
            if href.startswith("/public/") and not href.startswith(SKIPPED) and href not in seen:
                seen.add(href)
                queue.append(href)
    return pages, downloads


def test_anonymous_crawl_of_the_demo_shows_only_what_residents_may_see(
    settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    demo_load(today=datetime.date(2026, 11, 23))
    published = list(Strategy.objects.published())
    assert published, "the demo publishes its approved seeds"
    draft = Strategy.objects.get(slug=helsinki.SLUG)
    assert draft.status == Strategy.Status.DRAFT and not draft.published
    strategy = published[0]
    # Edits since approval, which only the organisation may read.
    area = FocusArea.objects.filter(strategy=strategy).first()
    FocusArea.objects.filter(pk=area.pk).update(
        title_fi="UNAPPROVED-EDIT", title_sv="UNAPPROVED-EDIT", title_en="UNAPPROVED-EDIT"
    )
    Indicator.objects.create(
        strategy=strategy, name_fi="UNAPPROVED-INDICATOR", name_en="UNAPPROVED-INDICATOR"
    )
    item = PlanItem.objects.filter(plan__strategy__in=published).first()
    PlanComment.objects.create(item=item, text="PRIVATE-COMMENT-TEXT")
    pdf = b"%PDF-1.7 demo report"
    report = Report.objects.create(
        strategy=strategy, year=2025, language="fi", status=Report.Status.DONE, published=True
    )
    report.file.save("demo.pdf", ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.save()

    pages, downloads = _crawl(Client())
    everything = "\n".join(pages.values())

    for s in published:
        assert reverse("public-strategy", args=[s.organisation.slug, s.slug]) in pages
    assert draft.slug not in everything and draft.title not in everything
    assert "UNAPPROVED-EDIT" not in everything and "UNAPPROVED-INDICATOR" not in everything
    assert "PRIVATE-COMMENT-TEXT" not in everything
    notes = set(PlanItem.objects.exclude(description="").values_list("description", flat=True))
    notes |= set(
        PlanItem.objects.exclude(year_end_assessment="").values_list(
            "year_end_assessment", flat=True
        )
    )
    notes |= set(ProgressUpdate.objects.exclude(text="").values_list("text", flat=True))
    leaked = [note for note in notes if len(note) > 20 and html.escape(note) in everything]
    assert not leaked
    names = [
        user.get_full_name()
        for user in get_user_model().objects.exclude(suunta_profile__public=True)
        if user.get_full_name().strip()
    ]
    assert names, "the demo people have names"
    assert not [name for name in names if html.escape(name) in everything]
    assert (
        reverse(
            "public-report-download", args=[strategy.organisation.slug, strategy.slug, report.pk]
        )
        in downloads
    )
    assert set(downloads.values()) == {200}
    # Every kind of page was reached.
    for name in ("public-indicator-list", "public-maturity"):
        assert reverse(name, args=[strategy.organisation.slug, strategy.slug]) in pages
    assert any(
        "/indicators/" in path and path.rstrip("/").split("/")[-1].isdigit() for path in pages
    )
