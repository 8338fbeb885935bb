"""A Finnish edit makes the Swedish translation outdated; the translation page
lists it; a new Swedish text or "still valid" makes it up to date again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from strategy.models import FocusArea
from translations.models import TranslationMark
from translations.texts import CURRENT, MISSING, OUTDATED, missing_texts, strategy_texts, text_key

from .conftest import HTMX, editor_data, logged_in

pytestmark = pytest.mark.django_db


def status_of(strategy, obj, field: str, language: str = "sv") -> str:
    key = text_key(type(obj), obj.pk, field)
    return next(
        text for text in strategy_texts(strategy, [language])[language] if text.key == key
    ).status


def edit_title(world, area, **changes: str):
    url = reverse("part-edit", args=[world.strategy.slug, "focus-area", area.pk])
    return logged_in(world.owner).post(
        url, editor_data(world.strategy, "focus-area", area, **changes)
    )


def token_of(world, area, language: str = "sv") -> str:
    """The lock token a form for the area's title shows now."""
    key = text_key(FocusArea, area.pk, "title")
    return next(
        text for text in strategy_texts(world.strategy, [language])[language] if text.key == key
    ).token


def text_url(world, area, language: str = "sv") -> str:
    return reverse(
        "translation-text",
        args=[world.strategy.slug, language, text_key(FocusArea, area.pk, "title")],
    )


def test_a_translation_never_marked_counts_as_up_to_date(world, area) -> None:
    assert status_of(world.strategy, area, "title") == CURRENT
    assert status_of(world.strategy, area, "title", "en") == MISSING


def test_changing_the_finnish_title_in_the_editor_marks_the_swedish_one_outdated(
    world, area
) -> None:
    response = edit_title(world, area, title_fi="Kulttuuri kuuluu jokaiselle")

    assert response.status_code == 302
    assert status_of(world.strategy, area, "title") == OUTDATED
    # English had no translation: it stays missing, not outdated.
    assert status_of(world.strategy, area, "title", "en") == MISSING
    page = logged_in(world.owner).get(
        reverse("translation-overview", args=[world.strategy.slug]),
        {"language": "sv", "show": "outdated"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Kulttuuri kuuluu jokaiselle" in body and "Kultur för alla" in body
    assert f'id="text-strategy-focusarea-{area.pk}-title"' in body


def test_an_editor_save_of_other_fields_keeps_the_translation_up_to_date(world, area) -> None:
    edit_title(world, area, description_fi="Uusi kuvaus")

    assert status_of(world.strategy, area, "title") == CURRENT
    assert status_of(world.strategy, area, "description") == MISSING


def test_changing_source_and_translation_together_in_the_editor_keeps_it_up_to_date(
    world, area
) -> None:
    edit_title(
        world, area, title_fi="Kulttuuri kuuluu jokaiselle", title_sv="Kultur för var och en"
    )

    assert status_of(world.strategy, area, "title") == CURRENT


def test_changing_the_source_back_makes_the_translation_up_to_date_again(world, area) -> None:
    edit_title(world, area, title_fi="Kulttuuri kuuluu jokaiselle")
    area.refresh_from_db()
    edit_title(world, area, title_fi="Kulttuuri kuuluu kaikille")

    assert status_of(world.strategy, area, "title") == CURRENT


@pytest.mark.parametrize("htmx", [False, True])
def test_saving_a_new_swedish_text_clears_outdated_and_keeps_a_history_row(
    world, area, htmx: bool
) -> None:
    edit_title(world, area, title_fi="Kulttuuri kuuluu jokaiselle")
    area.refresh_from_db()
    client = logged_in(world.owner)
    token = token_of(world, area)
    page = client.get(text_url(world, area))
    assert f'name="token" value="{token}"' in page.content.decode()

    response = client.post(
        text_url(world, area),
        {"token": token, "translation": "Kultur för var och en", "save": "1"},
        headers=HTMX if htmx else {},
    )

    area.refresh_from_db()
    assert (area.title_sv, area.title_fi, area.version) == (
        "Kultur för var och en",
        "Kulttuuri kuuluu jokaiselle",
        3,
    )
    assert status_of(world.strategy, area, "title") == CURRENT
    record = area.history.first()
    assert (record.history_user, record.title_sv) == (world.owner, "Kultur för var och en")
    if htmx:
        body = response.content.decode()
        assert response.status_code == 200 and "<html" not in body
        assert f'id="text-strategy-focusarea-{area.pk}-title"' in body and "Saved." in body
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(
            reverse("translation-overview", args=[world.strategy.slug])
        )


def test_still_valid_clears_outdated_without_changing_the_text(world, area) -> None:
    edit_title(world, area, title_fi="Kulttuuri kuuluu jokaiselle")
    area.refresh_from_db()

    response = logged_in(world.owner).post(
        text_url(world, area), {"token": token_of(world, area), "confirm": "1"}, headers=HTMX
    )

    assert response.status_code == 200
    area.refresh_from_db()
    assert (area.title_sv, area.version) == ("Kultur för alla", 2)
    assert status_of(world.strategy, area, "title") == CURRENT
    assert (
        TranslationMark.objects.get(object_id=area.pk, field="title", language="sv").marked_by
        == world.owner
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_save_is_refused_with_the_shared_conflict_message(world, area, htmx: bool) -> None:
    response = logged_in(world.owner).post(
        text_url(world, area),
        {"token": "0" * 16, "translation": "Något annat", "save": "1"},
        headers=HTMX if htmx else {},
    )

    assert response.status_code == 409
    assert "Not saved: someone else changed this after you opened it." in response.content.decode()
    area.refresh_from_db()
    assert (area.title_sv, area.version) == ("Kultur för alla", 1)


def test_an_empty_translation_is_refused_and_nothing_changes(world, area) -> None:
    response = logged_in(world.owner).post(
        text_url(world, area), {"token": token_of(world, area), "translation": "  ", "save": "1"}
    )

    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    area.refresh_from_db()
    assert area.title_sv == "Kultur för alla"


def test_a_save_is_refused_when_the_source_changed_since_the_form_was_opened(world) -> None:
    """The lock compares the texts the form showed (a maturity level has no version)."""
    from maturity.models import Level, MaturityModel

    model = MaturityModel.objects.create(strategy=world.strategy, name_fi="Kypsyysmalli")
    level = Level.objects.create(model=model, ordinal=1, name_fi="Alkava")
    url = reverse(
        "translation-text", args=[world.strategy.slug, "sv", text_key(Level, level.pk, "name")]
    )
    client = logged_in(world.owner)
    token = next(
        t
        for t in missing_texts(world.strategy, "sv")
        if t.pk == level.pk and t.source_def.model is Level
    ).token
    Level.objects.filter(pk=level.pk).update(name_fi="Aloittava")

    refused = client.post(url, {"token": token, "translation": "Begynnande", "save": "1"})
    assert refused.status_code == 409
    fresh = next(
        t
        for t in missing_texts(world.strategy, "sv")
        if t.pk == level.pk and t.source_def.model is Level
    )
    saved = client.post(url, {"token": fresh.token, "translation": "Begynnande", "save": "1"})
    assert saved.status_code == 302
    level.refresh_from_db()
    assert level.name_sv == "Begynnande"


def test_missing_texts_counts_what_would_fall_back(world, area) -> None:
    keys = {text.key for text in missing_texts(world.strategy, "sv")}

    assert text_key(FocusArea, area.pk, "title") not in keys
    assert (
        text_key(FocusArea, area.pk, "description") not in keys
    )  # no Finnish text: nothing to translate
    FocusArea.objects.filter(pk=area.pk).update(description_fi="Kaikille avoin")
    assert text_key(FocusArea, area.pk, "description") in {
        text.key for text in missing_texts(world.strategy, "sv")
    }
    assert missing_texts(world.strategy, "fi") == []  # the main language falls back to nothing


def test_coverage_is_shown_per_language(world, area) -> None:
    body = (
        logged_in(world.owner)
        .get(reverse("translation-overview", args=[world.strategy.slug]))
        .content.decode()
    )

    assert "Swedish 100 %" in body
    assert "English 0 %" in body


def test_saving_one_field_leaves_the_other_fields_of_the_part_open_to_saves(world, area) -> None:
    FocusArea.objects.filter(pk=area.pk).update(description_fi="Kaikille avoin")
    client = logged_in(world.owner)
    texts = {
        t.key: t
        for t in missing_texts(world.strategy, "sv") + strategy_texts(world.strategy, ["sv"])["sv"]
    }
    title, description = (
        texts[text_key(FocusArea, area.pk, "title")],
        texts[text_key(FocusArea, area.pk, "description")],
    )

    for text, value in ((title, "Kultur åt alla"), (description, "Öppen för alla")):
        url = reverse("translation-text", args=[world.strategy.slug, "sv", text.key])
        assert (
            client.post(url, {"token": text.token, "translation": value, "save": "1"}).status_code
            == 302
        )

    area.refresh_from_db()
    assert (area.title_sv, area.description_sv, area.version) == (
        "Kultur åt alla",
        "Öppen för alla",
        3,
    )


def test_an_editor_form_opened_before_a_translation_save_is_refused(world, area) -> None:
    client = logged_in(world.owner)
    stale = editor_data(world.strategy, "focus-area", area, title_fi="Vanhasta lomakkeesta")
    client.post(
        text_url(world, area),
        {"token": token_of(world, area), "translation": "Kultur åt alla", "save": "1"},
    )

    response = client.post(
        reverse("part-edit", args=[world.strategy.slug, "focus-area", area.pk]), stale
    )

    assert response.status_code == 409
    area.refresh_from_db()
    assert (area.title_fi, area.title_sv) == ("Kulttuuri kuuluu kaikille", "Kultur åt alla")


def test_changing_a_finnish_scale_level_in_the_editor_marks_its_swedish_label_outdated(
    world,
) -> None:
    from indicators.models import Indicator, IndicatorKind, ScaleLevel

    indicator = Indicator.objects.create(
        strategy=world.strategy,
        name_fi="Vaihe",
        name_sv="Skede",
        kind=IndicatorKind.QUALITATIVE,
        direction="increase",
    )
    for ordinal, (fi, sv) in enumerate(
        [("Ei aloitettu", "Inte påbörjad"), ("Käynnissä", "Pågår"), ("Valmis", "Klar")]
    ):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_sv=sv)
    data = editor_data(
        world.strategy, "indicator", indicator, levels_fi="Ei aloitettu\nTyön alla\nValmis"
    )

    response = logged_in(world.owner).post(
        reverse("part-edit", args=[world.strategy.slug, "indicator", indicator.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    levels = {level.ordinal: level for level in ScaleLevel.objects.filter(indicator=indicator)}
    assert levels[1].label_fi == "Työn alla"
    assert status_of(world.strategy, levels[1], "label") == OUTDATED
    assert status_of(world.strategy, levels[0], "label") == CURRENT
    assert status_of(world.strategy, indicator, "name") == CURRENT


def test_the_text_list_pages_and_an_htmx_page_change_gets_only_the_list(world, settings) -> None:
    from translations import views

    for number in range(views.PAGE_SIZE + 5):
        FocusArea.objects.create(
            strategy=world.strategy,
            number=f"7.{number}",
            order=number,
            title_fi=f"Painopiste {number}",
        )
    client = logged_in(world.owner)
    url = reverse("translation-overview", args=[world.strategy.slug])

    first = client.get(url, {"language": "sv"}).content.decode()
    second = client.get(
        url, {"language": "sv", "page": "2"}, headers={**HTMX, "HX-Target": "translation-texts"}
    )

    assert "Page 1 of 2" in first and "page=2" in first
    body = second.content.decode()
    assert "<html" not in body and 'id="translation-texts"' in body and "Page 2 of 2" in body


def test_a_source_changed_before_marks_existed_is_found_in_the_history(world) -> None:
    from io import StringIO

    from django.core.management import call_command

    area = FocusArea.objects.create(
        strategy=world.strategy, number="8", order=8, title_fi="Vanha", title_sv="Gammal"
    )
    kept = FocusArea.objects.create(
        strategy=world.strategy, number="9", order=9, title_fi="Sama", title_sv="Samma"
    )
    area.title_fi = "Uusi"
    area.save()
    kept.description_fi = "Kuvaus"
    kept.save()
    assert status_of(world.strategy, area, "title") == CURRENT

    out = StringIO()
    call_command("translation_marks_from_history", stdout=out)
    call_command(
        "translation_marks_from_history", stdout=StringIO()
    )  # a second run writes nothing new

    assert "1 translations marked outdated." in out.getvalue()
    assert status_of(world.strategy, area, "title") == OUTDATED
    assert status_of(world.strategy, kept, "title") == CURRENT
    assert TranslationMark.objects.count() == 1
