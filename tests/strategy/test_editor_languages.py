"""Text is written per language, the strategy's main language first and
required; an English-only strategy needs no Finnish at all and Finnish
readers see its English text."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy.models import Goal, Strategy

pytestmark = pytest.mark.django_db


def owner_client(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def stored(table: str, pk: int, column: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_part_form_has_each_language_main_first_and_required(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(main_language="sv")
    page = owner_client(world).get(reverse("part-create", args=[world.strategy.slug, "goal"])).content.decode()
    swedish, finnish, english = (page.index(f'name="title_{code}"') for code in ("sv", "fi", "en"))
    assert swedish < finnish < english
    assert "Title (Swedish)" in page and "Title (Finnish)" in page and "Title (English)" in page
    assert 'lang="sv"' in page and 'lang="en"' in page
    # Only the main language is required; the untranslated base column is not in the form.
    assert 'name="title"' not in page
    inputs = {re.search(r'name="(\w+)"', tag).group(1): tag for tag in re.findall(r"<input[^>]*>", page)}
    assert " required" in inputs["title_sv"]
    assert " required" not in inputs["title_fi"] and " required" not in inputs["title_en"]


def test_english_only_strategy_is_created_and_edited_without_finnish(world) -> None:
    client = owner_client(world)
    data = {
        "start": "blank",
        "organisation": world.sector.pk,
        "main_language": "en",
        "title": "Culture strategy",
        "period_start": "2026",
        "period_end": "2030",
    }
    # A Finnish-speaking owner creates it: the interface language does not decide the stored text.
    response = client.post(reverse("strategy-create"), data, HTTP_ACCEPT_LANGUAGE="fi")
    strategy = Strategy.objects.get(title_en="Culture strategy")
    assert response.status_code == 302 and response["Location"] == reverse("editor", args=[strategy.slug])
    assert (strategy.main_language, strategy.status, strategy.slug) == ("en", "draft", "culture-strategy")
    assert not strategy.title_fi and not strategy.title_sv
    assert stored("strategy_strategy", strategy.pk, "title") == "Culture strategy"

    # A goal with English text only; Finnish is optional here and English is required.
    url = reverse("part-create", args=[strategy.slug, "goal"])
    refused = client.post(url, {"title_fi": "Vain suomeksi"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert refused.status_code == 422
    response = client.post(url, {"title_en": "Everyone reads"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 302
    goal = Goal.objects.get(strategy=strategy)
    assert (goal.title_fi, goal.title_sv, goal.title_en) in [(None, None, "Everyone reads"), ("", "", "Everyone reads")]
    assert stored("strategy_goal", goal.pk, "title") == "Everyone reads"

    # Readers in every language fall back to the English text.
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            assert Goal.objects.get(pk=goal.pk).title == "Everyone reads"
            assert Strategy.objects.get(pk=strategy.pk).title == "Culture strategy"
    overview = client.get(reverse("strategy-detail", args=[strategy.slug]), HTTP_ACCEPT_LANGUAGE="fi")
    assert "Everyone reads" in overview.content.decode()
    assert "Culture strategy" in overview.content.decode()

    # An edit by a Swedish reader keeps the English text in the base column.
    edit = reverse("part-edit", args=[strategy.slug, "goal", goal.pk])
    response = client.post(edit, {"title_en": "Everyone reads more", "version": "1"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 302
    assert stored("strategy_goal", goal.pk, "title") == "Everyone reads more"


def test_settings_change_title_period_language_and_parent(world) -> None:
    from tests.factories import StrategyFactory

    parent = StrategyFactory(organisation=world.city, title="Kaupunkistrategia", slug="kaupunki")
    child = StrategyFactory(organisation=world.unit_a, parent=world.strategy, slug="kirjasto-strategia")
    client = owner_client(world)
    url = reverse("strategy-settings", args=[world.strategy.slug])
    page = client.get(url).content.decode()
    # Neither itself nor its descendants can become its parent.
    parent_select = page[page.index('name="parent"') : page.index("</select>", page.index('name="parent"'))]
    assert f'value="{parent.pk}"' in parent_select
    assert f'value="{world.strategy.pk}"' not in parent_select and f'value="{child.pk}"' not in parent_select

    data = {
        "title_fi": "Kulttuuristrategia 2030",
        "title_sv": "Kulturstrategi 2030",
        "period_start": "2024",
        "period_end": "2030",
        "main_language": "fi",
        "parent": parent.pk,
        "version": "1",
    }
    bad = client.post(url, {**data, "period_end": "2020"})
    assert bad.status_code == 422 and "cannot be before" in bad.content.decode()
    assert client.post(url, {**data, "parent": child.pk}).status_code == 422
    assert client.post(url, data).status_code == 302
    world.strategy.refresh_from_db()
    assert (world.strategy.title_sv, world.strategy.period_end, world.strategy.parent) == ("Kulturstrategi 2030", 2030, parent)
    assert world.strategy.version == 2
    # A form loaded before that save is refused.
    stale = client.post(url, {**data, "title_fi": "Vanha", "version": "1"})
    assert stale.status_code == 409
    world.strategy.refresh_from_db()
    assert world.strategy.title_fi == "Kulttuuristrategia 2030"


def test_base_column_keeps_the_main_language_whoever_saves(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(main_language="sv")
    client = owner_client(world)
    url = reverse("part-create", args=[world.strategy.slug, "goal"])
    # An English reader saves Swedish and Finnish text: the fallback alone would store the Finnish.
    response = client.post(url, {"title_sv": "Alla läser", "title_fi": "Kaikki lukevat"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    goal = Goal.objects.get(strategy=world.strategy)
    assert stored("strategy_goal", goal.pk, "title") == "Alla läser"
    with translation.override("fi"):
        assert Goal.objects.get(pk=goal.pk).title == "Kaikki lukevat"
