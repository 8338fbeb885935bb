"""The maturity round in a browser: staff fill in the matrix with the keyboard
alone and submit, the head records the agreed levels, the owner reads the heat
map; axe passes on the form, the unit result and the heat map."""

from __future__ import annotations

import re

import pytest

from maturity.models import AgreedLevel, SelfAssessment
from tests.maturity.conftest import answer, build_matrix, colleague, open_round

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The level staff pick for each of the five rows (1 = Alkava … 4 = Optimaalinen).
PICKS = [2, 3, 1, 4, 2]


@pytest.fixture
def round_(world):
    matrix = build_matrix(world.strategy)
    round_ = open_round(matrix, [world.unit_a, world.unit_b])
    # Two colleagues have answered already, so with staff the library has three.
    for name, levels in (("kollega1", [2, 3, 2, 3, 2]), ("kollega2", [3, 3, 2, 4, 2])):
        answer(round_, world.unit_a, colleague(world.unit_a, name), levels)
    return round_


@pytest.fixture
def english(page, live_server, settings):
    """Read the English source strings whatever the catalogues say: the
    language cookie wins over the browser's Finnish Accept-Language."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    return page


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, type: document.activeElement.type || '',"
        " name: document.activeElement.name || '', checked: !!document.activeElement.checked,"
        " value: document.activeElement.value})"
    )


def test_staff_fills_matrix_with_keyboard_head_agrees_owner_sees_heatmap(english, live_server, login, world, round_, settings):
    page = english
    slug = world.strategy.slug

    # --- staff: from the invitation to a submitted matrix, keyboard only ---
    login(page, "staff")
    page.goto(f"/strategies/{slug}/maturity/")
    invitation = page.get_by_role("link", name=re.compile("Assess Kirjasto"))
    invitation.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/assess/$"))
    assert_accessible(page)

    # Tab from the top of the page until the first radio has focus (skip link,
    # header and navigation come first).
    first_radio = page.locator("input[type=radio]").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if _focused(page)["type"] == "radio":
            break
    assert _focused(page)["name"] == first_radio.get_attribute("name")

    for row, pick in enumerate(PICKS):
        state = _focused(page)
        assert state["type"] == "radio", (row, state)
        # Space picks the focused (first) level; each ArrowRight moves one level up.
        page.keyboard.press("Space")
        for _ in range(pick - 1):
            page.keyboard.press("ArrowRight")
        assert _focused(page)["checked"]
        page.keyboard.press("Tab")  # leaves the radio group for the justification
        assert _focused(page)["tag"] == "TEXTAREA"
        page.keyboard.type(f"Näppäimistöllä rivi {row + 1}")
        page.keyboard.press("Tab")  # next row's radio group (or the buttons after the last row)

    assert _focused(page)["tag"] == "BUTTON" and _focused(page)["value"] == "save"
    page.keyboard.press("Tab")
    assert _focused(page)["value"] == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your self-assessment was submitted" in page.content()

    mine = SelfAssessment.objects.get(person=world.staff)
    assert mine.status == SelfAssessment.Status.SUBMITTED
    ratings = {r.dimension.order: (r.level.ordinal, r.justification) for r in mine.ratings.select_related("dimension", "level")}
    assert ratings == {n + 1: (pick, f"Näppäimistöllä rivi {n + 1}") for n, pick in enumerate(PICKS)}
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])

    # --- head: reads the result and records the agreed levels ---
    login(page, "head")
    page.goto(f"/strategies/{slug}/maturity/rounds/{round_.pk}/units/{world.unit_a.slug}/")
    assert "3 submitted answers" in page.content()
    assert_accessible(page)
    dimensions = list(round_.model.dimensions.all())
    agreed = [2, 3, 2, 3, 2]
    for dimension, ordinal in zip(dimensions, agreed, strict=True):
        level = round_.model.levels.get(ordinal=ordinal)
        page.locator(f"select[name=agreed_{dimension.pk}]").select_option(str(level.pk))
    page.locator(f"textarea[name=note_{dimensions[0].pk}]").fill("Sovittu yhdessä")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the agreed levels").click()
    assert "The unit's agreed levels were saved." in page.content()
    assert sorted(AgreedLevel.objects.filter(unit=world.unit_a).values_list("level__ordinal", flat=True)) == sorted(agreed)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])

    # --- owner: the heat map has the library's row with the agreed levels ---
    login(page, "owner")
    page.goto(f"/strategies/{slug}/maturity/heatmap/")
    row = page.locator("table.heatmap tbody tr", has=page.get_by_role("rowheader", name="Kirjasto"))
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert [cell.split("\n")[0].strip() for cell in cells] == ["Kehittyvä", "Hyvä", "Kehittyvä", "Hyvä", "Kehittyvä"]
    assert_accessible(page)
