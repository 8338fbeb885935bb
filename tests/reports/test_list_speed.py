"""The report list at city scale: the note on texts shown in another language
is counted by the database in one query, agrees with the texts the report
will hold, and the page's queries do not grow with the strategy."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from maturity.models import Level, MaturityModel
from reports.models import Report
from reports.services import report_fallback_counts
from strategy.models import Action, AnnualPlan, FocusArea, Goal, Organisation
from tests.factories import OrganisationFactory
from translations.fallback import fallback_texts

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def goal(strategy: Any, fi: str = "", sv: str = "", en: str = "") -> Goal:
    """A goal whose title is written in exactly the languages given."""
    return Goal.objects.create(
        strategy=strategy, title_fi=fi, title_sv=sv, title_en=en, direction="increase"
    )


def focus_area(strategy: Any, fi: str = "", sv: str = "", en: str = "") -> FocusArea:
    return FocusArea.objects.create(
        strategy=strategy, number="9.9", title_fi=fi, title_sv=sv, title_en=en, order=99
    )


def counted(strategy: Any, language: str) -> dict[str, int]:
    """The fallback texts of the report, counted one by one in Python."""
    return dict(Counter(text.lang for text in fallback_texts(strategy, language)))


def test_counts_are_the_fallback_texts_counted_in_every_language(report_world) -> None:
    strategy = report_world.strategy
    # Texts written in one language only, each in another one, and one empty everywhere.
    goal(strategy, sv="Välfärd")
    goal(strategy, en="Wellbeing")
    goal(strategy)
    area = focus_area(strategy, fi="Liikunta")
    Action.objects.create(strategy=strategy, focus_area=area, number="9", title_sv="Simskola")
    model = MaturityModel.objects.get(strategy=strategy)
    Level.objects.create(model=model, ordinal=9, name_fi="", name_sv="", name_en="Leading")

    for language in LANGUAGES:
        assert report_fallback_counts(strategy=strategy, language=language) == counted(
            strategy, language
        )
    assert set(report_fallback_counts(strategy=strategy, language="fi")) == {"sv", "en"}


def test_counts_follow_the_fallback_order(world) -> None:
    # English falls back to Finnish first, then Swedish (settings' order).
    goal(world.strategy, sv="Välfärd")
    goal(world.strategy, fi="Hyvinvointi")
    counts = report_fallback_counts(strategy=world.strategy, language="en")
    assert list(counts) == ["fi", "sv"]


def test_note_follows_a_change_made_without_signals(world) -> None:
    """Nothing is kept between requests but the compiled SQL: a bulk update
    (no signals, no saves) shows at once."""
    strategy = world.strategy
    goals = [goal(strategy, fi=f"Tavoite {n}", sv=f"Mål {n}") for n in range(3)]
    before = report_fallback_counts(strategy=strategy, language="sv").get("fi", 0)
    Goal.objects.filter(pk__in=[goal.pk for goal in goals]).update(title_sv="")
    assert report_fallback_counts(strategy=strategy, language="sv").get("fi", 0) == before + 3
    assert report_fallback_counts(strategy=strategy, language="sv") == counted(strategy, "sv")


def test_note_follows_the_strategy_to_a_new_place_in_the_tree(world) -> None:
    """The organisations above the strategy's are on the report's cover: when
    the organisation moves, the note counts the new ones."""
    strategy = world.strategy
    assert report_fallback_counts(strategy=strategy, language="sv") == counted(strategy, "sv")
    region = OrganisationFactory(
        name_fi="Maakunta", name_sv="", name_en="", slug="maakunta", kind=Organisation.Kind.CITY
    )
    sector = Organisation.objects.get(pk=world.sector.pk)
    sector.parent = region
    sector.save()
    strategy.refresh_from_db()
    strategy.organisation.refresh_from_db()
    assert report_fallback_counts(strategy=strategy, language="sv") == counted(strategy, "sv")
    assert any(text.pk == region.pk for text in fallback_texts(strategy, "sv"))


def _grow(world: Any, n: int) -> None:
    """n more of everything the list and its note read: texts missing in
    Swedish, units with plans, indicators, maturity levels, reports."""
    strategy = world.strategy
    area = focus_area(strategy, fi="Kasvu")
    model = MaturityModel.objects.create(strategy=strategy, name_fi="Malli", name_sv="")
    for index in range(n):
        goal(strategy, fi=f"Tavoite {index}")
        Action.objects.create(
            strategy=strategy, focus_area=area, number=str(100 + index), title_fi=f"Toimi {index}"
        )
        Indicator.objects.create(strategy=strategy, name_fi=f"Mittari {index}")
        Level.objects.create(model=model, ordinal=index + 1, name_fi=f"Taso {index}")
        unit = OrganisationFactory(
            name=f"Yksikkö {index}", slug=f"yksikko-{index}", parent=world.service_area
        )
        AnnualPlan.objects.create(strategy=strategy, unit=unit, year=2024)
        Report.objects.create(strategy=strategy, year=2024, language="sv", version=index + 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_queries_are_equal_at_two_scales(
    world, django_assert_max_num_queries, language: str
) -> None:
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    client.get(url, {"language": language})
    caches["template_fragments"].clear()  # the page built from the data, at both scales
    with django_assert_max_num_queries(40) as small:
        first = client.get(url, {"language": language})
    assert first.status_code == 200

    _grow(world, 25)

    caches["template_fragments"].clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"language": language})
    assert response.status_code == 200
    if language == "sv":
        note = response.text.split('id="language-note"')[1].split("</div>")[0]
        names = {"fi": "Finnish", "en": "English"}
        for code, count in counted(world.strategy, "sv").items():
            assert f"{count} texts are not in Swedish and will be shown in {names[code]}." in note


def test_language_note_fragment_is_one_query_of_texts(world, django_assert_max_num_queries) -> None:
    """Choosing another language (htmx) re-counts the texts in one query."""
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "language-note"}
    client.get(url, {"language": "sv"}, **headers)
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"language": "sv"}, **headers)
    _grow(world, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        fragment = client.get(url, {"language": "sv"}, **headers).text
    assert fragment.lstrip().startswith('<div id="language-note"')


def test_order_fields_show_a_new_or_renamed_unit_at_once(world) -> None:
    """The form's fields are cached by what they show: a unit added, or
    renamed without a save, is in the very next page."""
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    assert ">Kirjasto</option>" in client.get(url).text
    OrganisationFactory(name="Teatteri", slug="teatteri", parent=world.service_area)
    Organisation.objects.filter(pk=world.unit_a.pk).update(name_en="Pääkirjasto")
    page = client.get(url).text
    assert ">Teatteri</option>" in page
    assert ">Pääkirjasto</option>" in page
    assert ">Kirjasto</option>" not in page


def test_order_fields_follow_the_language_chosen_and_the_reader(world) -> None:
    url = reverse("report-list", args=[world.strategy.slug])
    owner = client_for(world.owner)
    assert '<option value="sv" selected>' in owner.get(url, {"language": "sv"}).text
    page = owner.get(url, {"language": "en"}).text
    assert '<option value="en" selected>' in page
    assert '<option value="sv" selected>' not in page
    # A unit head orders for their own unit only: no "whole strategy" choice.
    head = client_for(world.head).get(url, {"language": "en"}).text
    assert "The whole strategy" in page
    assert "The whole strategy" not in head.split('name="unit"')[1].split("</select>")[0]
    assert "Unit heads order reports for their own units." in head


def test_refused_order_shows_its_errors_in_the_fields(world) -> None:
    client = client_for(world.owner)
    url = reverse("report-list", args=[world.strategy.slug])
    client.get(url)  # the unbound fields are in the cache
    response = client.post(
        reverse("report-order", args=[world.strategy.slug]),
        {"year": 2025, "to_year": 2023, "language": "fi", "unit": ""},
    )
    assert response.status_code == 422
    assert "The last year cannot be before the first year." in response.text
    assert '<option value="2023" selected>' in response.text
