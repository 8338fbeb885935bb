"""Texts missing in a report's language: which language they are shown in,
what the order form says about them, and how the snapshot marks them."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services import report_html_build, report_snapshot_build
from strategy.fallback import text_in
from strategy.models import FocusArea, Goal, Organisation, Strategy
from tests.factories import GoalFactory
from translations.fallback import fallback_texts

pytestmark = pytest.mark.django_db

PIETARSAARI = "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def name_organisations_in_finnish() -> None:
    """The world's organisations and strategy were named in the tests'
    language (English); name them in Finnish too, as their other texts are."""
    for organisation in Organisation.objects.all():
        Organisation.objects.filter(pk=organisation.pk).update(
            name_fi=organisation.name_en or organisation.name_fi
        )
    for strategy in Strategy.objects.all():
        Strategy.objects.filter(pk=strategy.pk).update(
            title_fi=strategy.title_en or strategy.title_fi
        )


def fallback_marks(data: Any, path: str = "") -> list[str]:
    """Paths of every ``<key>_lang`` mark in a snapshot."""
    if isinstance(data, dict):
        found = [f"{path}.{key}" for key, value in data.items() if key.endswith("_lang") and value]
        for key, value in data.items():
            found += fallback_marks(value, f"{path}.{key}")
        return found
    if isinstance(data, list):
        return [
            mark
            for index, item in enumerate(data)
            for mark in fallback_marks(item, f"{path}[{index}]")
        ]
    return []


def test_text_in_follows_the_fallback_order_of_modeltranslation(world) -> None:
    goal = GoalFactory(strategy=world.strategy, title_fi="Hyvinvointi", title_sv="", title_en="")
    swedish = text_in(goal, "title", "sv")
    assert (swedish.value, swedish.lang, swedish.is_fallback) == ("Hyvinvointi", "fi", True)
    finnish = text_in(goal, "title", "fi")
    assert (finnish.value, finnish.lang, finnish.is_fallback) == ("Hyvinvointi", "fi", False)
    goal.title_sv = "Välfärd"
    assert text_in(goal, "title", "sv").lang == "sv"
    # English falls back to Finnish first, then Swedish (the settings' order).
    assert (
        text_in({"title_fi": "", "title_sv": "Välfärd", "title_en": None}, "title", "en").lang
        == "sv"
    )
    nothing = text_in({"title_fi": "", "title_sv": "", "title_en": ""}, "title", "sv")
    assert (nothing.value, nothing.lang, nothing.is_fallback) == ("", "", False)


def test_fallback_texts_lists_what_is_missing_in_the_language_only(world) -> None:
    strategy = world.strategy
    Strategy.objects.filter(pk=strategy.pk).update(
        title_fi="Kulttuuristrategia", title_sv="Kulturstrategi"
    )
    GoalFactory(
        strategy=strategy,
        title_fi="Hyvinvointi",
        title_sv="",
        title_en="",
        description_fi="",
        description_sv="",
    )
    GoalFactory(
        strategy=strategy,
        title_fi="Osallisuus",
        title_sv="Delaktighet",
        description_fi="",
        description_sv="",
    )
    strategy.refresh_from_db()
    missing = {
        (text.model, text.field, text.lang, text.value) for text in fallback_texts(strategy, "sv")
    }
    assert ("strategy.goal", "title", "fi", "Hyvinvointi") in missing
    assert not any(value in ("Osallisuus", "Kulttuuristrategia") for _m, _f, _l, value in missing)
    assert not any(text.model == "strategy.goal" for text in fallback_texts(strategy, "fi"))


def test_fallback_texts_queries_do_not_grow_with_the_data(world) -> None:
    strategy = world.strategy
    GoalFactory(strategy=strategy, title_fi="Tavoite", title_sv="")
    with CaptureQueriesContext(connection) as few:
        small = fallback_texts(strategy, "sv")
    for n in range(20):
        goal = GoalFactory(strategy=strategy, title_fi=f"Tavoite {n}", title_sv="")
        FocusArea.objects.create(strategy=strategy, number=str(n), title_fi=f"Painopiste {n}")
        assert goal.pk
    with CaptureQueriesContext(connection) as many:
        large = fallback_texts(strategy, "sv")
    assert len(large) > len(small)
    assert len(many) == len(few)


def test_order_page_says_how_many_texts_will_be_shown_in_another_language(world) -> None:
    name_organisations_in_finnish()
    strategy = world.strategy
    GoalFactory(strategy=strategy, title_fi="Hyvinvointi", title_sv="")
    count = len(fallback_texts(strategy, "sv"))
    assert count > 0
    url = reverse("report-list", args=[strategy.slug])
    page = client_for(world.owner).get(url, {"language": "sv"}).text
    assert f"{count} texts are not in Swedish and will be shown in Finnish." in page
    # The link without JavaScript chose Swedish in the form too.
    assert '<option value="sv" selected>' in page
    # Choosing the language in the form (htmx) swaps the note alone.
    fragment = (
        client_for(world.owner)
        .get(url, {"language": "sv"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="language-note")
        .text
    )
    assert fragment.lstrip().startswith('<div id="language-note"')
    assert f"{count} texts are not in Swedish" in fragment
    assert "<html" not in fragment


def test_order_page_says_when_every_text_is_in_the_language(world) -> None:
    name_organisations_in_finnish()
    strategy = world.strategy
    GoalFactory(strategy=strategy, title_fi="Hyvinvointi", title_sv="")
    page = (
        client_for(world.owner)
        .get(reverse("report-list", args=[strategy.slug]), {"language": "fi"})
        .text
    )
    assert "All texts of the report are in Finnish." in page


def test_order_page_ignores_an_unknown_language(world) -> None:
    response = client_for(world.owner).get(
        reverse("report-list", args=[world.strategy.slug]), {"language": "xx"}
    )
    assert response.status_code == 200
    assert "xx" not in response.text.split('id="language-note"')[1].split("</div>")[0]


def test_order_page_queries_do_not_grow_with_missing_translations(world) -> None:
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    client.get(url, {"language": "sv"})
    caches["template_fragments"].clear()  # the page built from the data, both times
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"language": "sv"})
    for n in range(15):
        GoalFactory(strategy=world.strategy, title_fi=f"Tavoite {n}", title_sv="")
    caches["template_fragments"].clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"language": "sv"})
    assert len(many) == len(few)


def test_swedish_snapshot_marks_finnish_texts_and_the_report_wraps_them(report_world) -> None:
    name_organisations_in_finnish()
    snapshot = report_snapshot_build(
        strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="sv"
    )
    areas = {area["number"]: area for area in snapshot["focus_areas"]}
    assert areas["3.1"]["title"] == "Delaktighet och gemenskap" and "title_lang" not in areas["3.1"]
    assert areas["3.2"]["title"] == "Hyvinvointi ja terveys" and areas["3.2"]["title_lang"] == "fi"
    assert "text_lang" not in snapshot["visions"][0]
    html = report_html_build(snapshot=snapshot)
    assert '<html lang="sv">' in html
    assert '<span lang="fi">Hyvinvointi ja terveys</span>' in html
    assert '<span lang="fi">Delaktighet och gemenskap</span>' not in html
    finnish = report_snapshot_build(
        strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="fi"
    )
    assert fallback_marks(finnish) == []


def test_fallback_text_is_escaped_in_the_report(report_world) -> None:
    FocusArea.objects.filter(strategy=report_world.strategy, number="3.2").update(
        title_fi="<b>Hyvinvointi</b>"
    )
    snapshot = report_snapshot_build(
        strategy=report_world.strategy, year=2024, to_year=None, unit=None, language="sv"
    )
    html = report_html_build(snapshot=snapshot)
    assert '<span lang="fi">&lt;b&gt;Hyvinvointi&lt;/b&gt;</span>' in html
    assert "<b>Hyvinvointi" not in html


def test_pietarsaari_in_swedish_has_no_finnish_left_once_translated(django_user_model) -> None:
    call_command("load_demo", force=True, verbosity=0)
    strategy = Strategy.objects.select_related("organisation").get(slug=PIETARSAARI)
    owner = django_user_model.objects.get(username="owner")
    url = reverse("report-list", args=[strategy.slug])

    missing = fallback_texts(strategy, "sv")
    assert len(missing) > 0
    assert {text.lang for text in missing} == {"fi"}
    page = client_for(owner).get(url, {"language": "sv"}).text
    assert f"{len(missing)} texts are not in Swedish and will be shown in Finnish." in page
    before = report_snapshot_build(
        strategy=strategy, year=2024, to_year=None, unit=None, language="sv"
    )
    assert fallback_marks(before)

    # Translate every missing text (here: a marked copy of the Finnish one).
    for text in missing:
        model = apps.get_model(text.model)
        model.objects.filter(pk=text.pk).update(**{f"{text.field}_sv": f"[sv] {text.value}"})

    assert fallback_texts(strategy, "sv") == []
    page = client_for(owner).get(url, {"language": "sv"}).text
    assert "All texts of the report are in Swedish." in page
    assert "are not in Swedish" not in page
    after = report_snapshot_build(
        strategy=strategy, year=2024, to_year=None, unit=None, language="sv"
    )
    assert fallback_marks(after) == []
    assert '<span lang="fi">' not in report_html_build(snapshot=after)
    assert Goal.objects.filter(strategy=strategy).exists()


def test_fallback_texts_include_the_goal_above_that_a_goal_contributes_to(world) -> None:
    from tests.factories import StrategyFactory

    city_strategy = StrategyFactory(organisation=world.city, slug="kaupunkistrategia")
    city_goal = GoalFactory(strategy=city_strategy, title_fi="Elinvoima", title_sv="")
    GoalFactory(
        strategy=world.strategy,
        title_fi="Tapahtumat",
        title_sv="Evenemang",
        contributes_to=city_goal,
    )
    missing = fallback_texts(world.strategy, "sv")
    assert ("strategy.goal", city_goal.pk, "title", "fi") in {
        (t.model, t.pk, t.field, t.lang) for t in missing
    }
    snapshot = report_snapshot_build(
        strategy=world.strategy, year=2024, to_year=None, unit=None, language="sv"
    )
    goal = next(goal for goal in snapshot["other_goals"] if goal["title"] == "Evenemang")
    assert (goal["contributes_to"], goal["contributes_to_lang"]) == ("Elinvoima", "fi")


def test_swedish_reader_reads_language_names_in_small_letters_inside_sentences(world) -> None:
    name_organisations_in_finnish()
    strategy = world.strategy
    GoalFactory(strategy=strategy, title_fi="Hyvinvointi", title_sv="")
    count = len(fallback_texts(strategy, "sv"))
    page = (
        client_for(world.owner)
        .get(reverse("report-list", args=[strategy.slug]), {"language": "sv"}, HTTP_ACCEPT_LANGUAGE="sv")
        .text
    )
    assert f"{count} texter finns inte på svenska och visas på finska." in page
    assert "Översätt de saknade texterna till svenska" in page
    # Standing alone, as links, the names keep their capital.
    assert ">Finska</a>" in page and ">Engelska</a>" in page
