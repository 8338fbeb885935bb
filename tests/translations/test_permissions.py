"""Who may translate: owners and translators at or above the strategy's
organisation. Readers of its drafts get 403, everyone else 404, and a
refused request changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from strategy.models import FocusArea
from tests.factories import every_part
from translations.models import TranslationImport, TranslationMark
from translations.texts import strategy_texts, text_key

from .conftest import HTMX, logged_in

pytestmark = pytest.mark.django_db


def urls(world, area) -> list[tuple[str, str]]:
    slug = world.strategy.slug
    job = TranslationImport.objects.create(
        strategy=world.strategy, language="sv", original_name="x.xlf", status="checked"
    )
    key = text_key(FocusArea, area.pk, "title")
    return [
        ("get", reverse("translation-overview", args=[slug])),
        ("get", reverse("translation-text", args=[slug, "sv", key])),
        ("post", reverse("translation-text", args=[slug, "sv", key])),
        ("get", reverse("translation-export", args=[slug, "sv", "xlsx"])),
        ("get", reverse("translation-export", args=[slug, "sv", "xlf"])),
        ("get", reverse("translation-import", args=[slug, "sv"])),
        ("post", reverse("translation-import", args=[slug, "sv"])),
        ("get", reverse("translation-import-detail", args=[slug, job.pk])),
        ("post", reverse("translation-import-apply", args=[slug, job.pk])),
    ]


def snapshot(area) -> tuple:
    area.refresh_from_db()
    return (
        area.title_sv,
        area.version,
        TranslationMark.objects.count(),
        list(TranslationImport.objects.values("status")),
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", 403),
        ("head", 403),
        ("viewer", 403),
        ("otherhead", 403),
        ("outsider_translator", 404),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_people_who_may_not_translate_are_refused_and_nothing_changes(
    world, area, request, persona, expected, htmx
) -> None:
    user = (
        request.getfixturevalue(persona)
        if persona == "outsider_translator"
        else getattr(world, persona)
    )
    client = logged_in(user)
    targets = urls(world, area)
    before = snapshot(area)

    for method, url in targets:
        data = {"token": "v1", "translation": "Hackad", "save": "1"} if method == "post" else {}
        response = getattr(client, method)(url, data, headers=HTMX if htmx else {})
        assert response.status_code == expected, (method, url)

    assert snapshot(area) == before


def test_translator_of_another_organisation_gets_404_even_on_a_draft(
    world, area, outsider_translator
) -> None:
    world.strategy.status = "draft"
    world.strategy.save()

    response = logged_in(outsider_translator).get(
        reverse("translation-overview", args=[world.strategy.slug])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["owner", "translator"])
def test_owners_and_translators_of_the_organisation_or_above_may_translate(
    world, area, translator, persona
) -> None:
    user = translator if persona == "translator" else world.owner
    client = logged_in(user)
    key = text_key(FocusArea, area.pk, "title")
    url = reverse("translation-text", args=[world.strategy.slug, "sv", key])
    token = next(
        text.token for text in strategy_texts(world.strategy, ["sv"])["sv"] if text.key == key
    )

    assert (
        client.get(reverse("translation-overview", args=[world.strategy.slug])).status_code == 200
    )
    assert (
        client.post(url, {"token": token, "translation": "Kultur åt alla", "save": "1"}).status_code
        == 302
    )
    area.refresh_from_db()
    assert area.title_sv == "Kultur åt alla"


def test_the_strategy_nav_links_the_page_only_for_those_who_may_translate(
    world, area, translator
) -> None:
    url = reverse("translation-overview", args=[world.strategy.slug])
    detail = reverse("strategy-detail", args=[world.strategy.slug])

    assert url in logged_in(translator).get(detail).content.decode()
    assert url in logged_in(world.owner).get(detail).content.decode()
    assert url not in logged_in(world.staff).get(detail).content.decode()


def test_a_translators_home_page_says_how_many_texts_are_left(world, area, translator) -> None:
    FocusArea.objects.filter(pk=area.pk).update(description_fi="Kaikille avoin")

    body = logged_in(translator).get(reverse("home")).content.decode()

    assert "1 text to translate into Swedish in" in body
    assert "texts to translate" not in logged_in(world.staff).get(reverse("home")).content.decode()


def test_the_main_language_and_unknown_texts_are_404(world, area) -> None:
    client = logged_in(world.owner)
    slug = world.strategy.slug

    assert (
        client.get(
            reverse("translation-text", args=[slug, "fi", text_key(FocusArea, area.pk, "title")])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("translation-text", args=[slug, "sv", "strategy.focusarea.999999.title"])
        ).status_code
        == 404
    )
    other = FocusArea.objects.create(
        strategy=__import__("tests.factories").factories.StrategyFactory(), title_fi="Muu"
    )
    assert (
        client.get(
            reverse("translation-text", args=[slug, "sv", text_key(FocusArea, other.pk, "title")])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("copies", [1, 4])
def test_the_page_asks_a_constant_number_of_queries(
    world, copies, django_assert_max_num_queries
) -> None:
    every_part(world.strategy, copies=copies, tag=str(copies))
    client = logged_in(world.owner)
    url = reverse("translation-overview", args=[world.strategy.slug])
    client.get(url)

    with django_assert_max_num_queries(27):
        response = client.get(url, {"language": "sv", "show": "all"})
    assert response.status_code == 200


def test_an_archived_strategy_takes_no_translations(world, area, translator) -> None:
    world.strategy.status = "archived"
    world.strategy.save()
    key = text_key(FocusArea, area.pk, "title")
    token = next(
        text.token for text in strategy_texts(world.strategy, ["sv"])["sv"] if text.key == key
    )
    url = reverse("translation-text", args=[world.strategy.slug, "sv", key])

    response = logged_in(translator).post(
        url, {"token": token, "translation": "Kultur åt alla", "save": "1"}
    )

    assert response.status_code == 409
    area.refresh_from_db()
    assert area.title_sv == "Kultur för alla"
