"""Pietarsaari's council needs its strategy in Swedish: a translator fills
every missing Swedish text of the demo strategy on the translation page, and
the Swedish council report then has no Finnish text left."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.pietarsaari import SLUG
from reports.services import report_snapshot_build
from strategy.models import Role, Strategy
from tests.factories import MembershipFactory, UserFactory
from tests.reports.test_fallback import fallback_marks
from translations.fallback import fallback_texts
from translations.services import translation_marks_from_history
from translations.texts import coverage, missing_texts, strategy_texts

from .conftest import HTMX, logged_in

pytestmark = pytest.mark.django_db


def test_a_translator_fills_every_missing_swedish_text_of_the_pietarsaari_demo() -> None:
    call_command("load_demo", force=True, stdout=StringIO())
    strategy = Strategy.objects.get(slug=SLUG)
    translator = UserFactory(username="kaantaja")
    MembershipFactory(user=translator, organisation=strategy.organisation, role=Role.TRANSLATOR)
    client = logged_in(translator)
    # The demo's own translations are up to date, also as its history tells them.
    assert translation_marks_from_history(strategy=strategy) == 0
    assert all(row.outdated == 0 for row in coverage(strategy_texts(strategy)))
    missing = missing_texts(strategy, "sv")
    assert missing
    overview = reverse("translation-overview", args=[strategy.slug])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(overview, {"language": "sv", "show": "all"}).status_code == 200
    print(
        f"{len(strategy_texts(strategy)['sv'])} Swedish texts; the page asked {len(queries)} queries"
    )

    for text in missing:
        url = reverse("translation-text", args=[strategy.slug, "sv", text.key])
        response = client.post(
            url,
            {"token": text.token, "translation": f"(sv) {text.source[:80]}", "save": "1"},
            headers=HTMX,
        )
        assert response.status_code == 200, text.key

    assert missing_texts(strategy, "sv") == []
    swedish = next(row for row in coverage(strategy_texts(strategy)) if row.language == "sv")
    assert (swedish.percent, swedish.outdated) == (100, 0)
    assert "Swedish 100 %" in client.get(overview).content.decode()

    # What the council gets: the Swedish report no longer borrows Finnish text.
    assert fallback_texts(strategy, "sv") == []
    snapshot = report_snapshot_build(strategy=strategy, year=2024, to_year=None, unit=None, language="sv")
    assert fallback_marks(snapshot) == []
