"""The translation pages pass axe in Finnish and Swedish, with their htmx
states (a saved text, a refused empty one, a refused stale one), and a
phone-wide screen never scrolls sideways on the side-by-side editor."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from strategy.models import FocusArea
from strategy.services_editor import part_update
from tests.factories import every_part
from translations.models import TranslationImport
from translations.texts import text_key

from .axe import assert_accessible
from .test_editor_pages_axe import PHONE, assert_no_sideways_scroll, switch_language, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outdated(world) -> FocusArea:  # type: ignore[no-untyped-def]
    """Every kind of part in three languages, and one focus area whose Finnish title changed since its translation."""
    every_part(world.strategy)
    area = FocusArea.objects.create(
        strategy=world.strategy,
        number="9",
        order=9,
        title_fi="Kulttuuri kaikille",
        title_sv="Kultur för alla",
    )
    part_update(
        obj=area,
        user=world.owner,
        expected_version=1,
        values={"title_fi": "Kulttuuri kuuluu kaikille"},
    )
    return FocusArea.objects.get(pk=area.pk)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translation_pages_and_their_htmx_states_pass_axe(
    page, login, world, outdated, language: str
) -> None:  # type: ignore[no-untyped-def]
    slug = world.strategy.slug
    login(page, "owner")
    overview = reverse("translation-overview", args=[slug])
    page.goto(overview)
    switch_language(page, language)
    assert_accessible(page)

    row = page.locator(f"#text-strategy-focusarea-{outdated.pk}-title")
    expect(row).to_be_visible()
    row.locator("textarea").fill("")
    row.locator("button[name=save]").click()
    expect(row.locator("[role=alert]")).to_be_visible()
    assert_accessible(page)

    FocusArea.objects.filter(pk=outdated.pk).update(title_sv="Ändrad av någon annan")
    row.locator("textarea").fill("Kultur hör till alla")
    row.locator("button[name=save]").click()
    expect(row.locator(".conflict")).to_be_visible()
    assert_accessible(page)

    row.locator("button[name=save]").click()
    expect(row.locator("[role=status]")).to_be_visible()
    assert_accessible(page)

    visit(page, f"{overview}?language=en&show=all", language)
    visit(
        page,
        reverse("translation-text", args=[slug, "sv", text_key(FocusArea, outdated.pk, "title")]),
        language,
    )
    visit(page, reverse("translation-import", args=[slug, "sv"]), language)
    job = TranslationImport.objects.create(
        strategy=world.strategy,
        language="sv",
        original_name="sv.xlsx",
        status=TranslationImport.Status.CHECKED,
        preview={
            "changes": [
                {
                    "key": "k",
                    "label": "Painopiste · Otsikko",
                    "source": "Kulttuuri",
                    "old": "",
                    "new": "Kultur",
                    "digest": "x",
                }
            ],
            "refused": [],
            "unchanged": 3,
        },
    )
    visit(page, reverse("translation-import-detail", args=[slug, job.pk]), language)
    refused = TranslationImport.objects.create(
        strategy=world.strategy,
        language="sv",
        original_name="sv.xlf",
        status=TranslationImport.Status.REFUSED,
        preview={
            "changes": [],
            "refused": [
                {"key": "k", "reason": "stale", "label": "Painopiste · Otsikko", "source": "Uusi"}
            ],
            "unchanged": 0,
        },
    )
    visit(page, reverse("translation-import-detail", args=[slug, refused.pk]), language)


def test_the_side_by_side_editor_fits_a_phone(page, login, world, outdated) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    login(page, "owner")
    page.goto(reverse("translation-overview", args=[world.strategy.slug]) + "?language=sv&show=all")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_a_translators_home_page_line_passes_axe(page, login, world, outdated) -> None:  # type: ignore[no-untyped-def]
    from strategy.models import Membership, Role

    Membership.objects.create(user=world.viewer, organisation=world.sector, role=Role.TRANSLATOR)
    login(page, "viewer")
    page.goto("/")
    expect(page.locator("#translation-todo-heading")).to_be_visible()
    assert_accessible(page)
