"""Every page and htmx state of the strategy studio passes axe in Finnish and
in Swedish: the edit mode, and for every kind of part in the editor's
registry its create, edit and removal pages, its inline edit form, that
form's validation error and the inline confirmation of a removal; the strategy's settings, history, versions, approval
and changes; organisations, people, profile and the account's security page.
A phone-wide screen never scrolls sideways in the edit mode or a create form.

An htmx state changes only its part's region: axe checks that region (in the
page, so rules about unique ids and references still see all of it) after
making sure the rest of the page is as it was when the whole page passed.

The kinds come from ``strategy.editor.KINDS``, so a new kind of part is
covered as soon as it is registered (and fails here until the test world has
a part of it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator
from strategy.editor import KINDS, PartKind
from strategy.models import Goal, Strategy
from strategy.versions import content_sha256, strategy_approve, strategy_snapshot
from tests.factories import every_part

from .axe import assert_accessible
from .session import set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


# Colours do not depend on the language: colour contrast is checked in Finnish,
# every other rule in both languages.
CONTRAST_LANGUAGE = "fi"


def visit(page, url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``url`` as a plain page load and check it with axe."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, contrast=language == CONTRAST_LANGUAGE)


def assert_no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"


@pytest.fixture
def studio(world) -> Strategy:  # type: ignore[no-untyped-def]
    """The world's strategy with a part of every kind, approved once and
    edited since, so that the versions and changes pages have something to show."""
    strategy = world.strategy
    every_part(strategy)
    Indicator.objects.create(
        strategy=strategy,
        name_fi="Kävijämäärä",
        name_sv="Besökarantal",
        unit_of_measure="käyntiä",
        baseline_year=2021,
        baseline_value=Decimal(1000),
    )
    strategy.refresh_from_db()
    strategy_approve(
        strategy=strategy,
        user=world.owner,
        expected_version=strategy.version,
        expected_content=content_sha256(strategy_snapshot(strategy)),
        approved_on=datetime.date(2022, 6, 14),
        decision_body={"fi": "Kaupunginvaltuusto", "sv": "Stadsfullmäktige"},
        decision_reference="§ 57",
    )
    Goal.objects.filter(strategy=strategy).update(title_fi="Tavoite muuttui", title_sv="Målet ändrades")
    return Strategy.objects.get(pk=strategy.pk)


def part_of(kind: PartKind, strategy: Strategy):  # type: ignore[no-untyped-def]
    part = kind.of_strategy(strategy).order_by("pk").first()
    assert part is not None, f"the test world has no {kind.key}: add one to every_part()"
    return part


def create_url(kind: PartKind, strategy: Strategy) -> str:
    url = reverse("part-create", args=kind.url_args(strategy))
    if kind.parent != "strategy":
        url += f"?parent={kind.parents_of(strategy).order_by('pk').first().pk}"
    return url


# The page's body as markup with one part of it (a CSS selector) left out.
# htmx's own passing marks (``htmx-settling``…) and the whitespace that a swap
# leaves between tags are left out too: they are not the page's content.
OUTSIDE = """(selector) => {
    const body = document.body.cloneNode(true);
    body.querySelector(selector).replaceWith(document.createComment("region"));
    for (const element of body.querySelectorAll("[class*='htmx-']")) {
        const marks = [...element.classList].filter((name) => name.startsWith("htmx-"));
        element.classList.remove(...marks);
    }
    return body.outerHTML.replace(/>\\s+</g, "><");
}"""


def assert_region_accessible(page, selector: str, outside: str) -> None:  # type: ignore[no-untyped-def]
    """axe on the region that htmx swapped, after making sure that the rest of
    the page (``outside``, checked with the whole page already) is as it was.

    The region is checked in the page, so rules that look beyond it (ids
    that must be unique, labels and ARIA references) still see the whole page.
    """
    assert page.evaluate(OUTSIDE, selector) == outside, f"htmx changed {page.url} outside {selector}"
    language = page.evaluate("() => document.documentElement.lang")
    assert_accessible(page, context=selector, contrast=language == CONTRAST_LANGUAGE)


def check_inline_states(page, kind: PartKind, strategy: Strategy, part) -> None:  # type: ignore[no-untyped-def]
    """In the edit mode: open the part's edit form, save it emptied, cancel;
    then ask to remove the part and cancel that too. Only the part's region
    changes (htmx swaps it), so axe checks that region each time."""
    selector = f"#region-{kind.region_key}"
    outside = page.evaluate(OUTSIDE, selector)
    region = page.locator(selector)
    form = region.locator("form.part-form")
    edit_url = reverse("part-edit", args=kind.url_args(strategy, part))
    page.locator(f"#part-{kind.key}-{part.pk} a[href='{edit_url}']").first.click()
    expect(form).to_be_visible()
    assert_region_accessible(page, selector, outside)
    for field in form.locator("input[type=text], input[type=number], input[type=date], textarea").all():
        field.fill("")
    form.locator("button[type=submit]").click()
    expect(region.locator("[role=alert]").first).to_be_visible()
    assert_region_accessible(page, selector, outside)
    form.locator("a.button--secondary").click()
    expect(form).to_have_count(0)

    delete_url = reverse("part-delete", args=kind.url_args(strategy, part))
    page.locator(f"#part-{kind.key}-{part.pk} a[href='{delete_url}']").first.click()
    confirm = region.locator(".confirm-delete")
    expect(confirm).to_be_visible()
    assert_region_accessible(page, selector, outside)
    confirm.locator("a.button--secondary").click()
    expect(confirm).to_have_count(0)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_editor_page_and_htmx_state_passes_axe(
    page, login, live_server, world, studio, language: str
) -> None:  # type: ignore[no-untyped-def]
    slug = studio.slug
    login(page, "owner")
    set_language(page.context, live_server.url, language)
    visit(page, f"/strategies/{slug}/edit/", language)

    for kind in KINDS.values():
        part = part_of(kind, studio)
        check_inline_states(page, kind, studio, part)
    # The plain pages of every kind, as without JavaScript.
    for kind in KINDS.values():
        part = part_of(kind, studio)
        visit(page, create_url(kind, studio), language)
        visit(page, reverse("part-edit", args=kind.url_args(studio, part)), language)
        visit(page, reverse("part-delete", args=kind.url_args(studio, part)), language)

    for name in ("strategy-settings", "strategy-history", "version-list", "strategy-approve"):
        visit(page, reverse(name, args=[slug]), language)
    visit(page, reverse("version-changes", args=[slug, 1]), language)
    expect(page.locator("#changes")).to_contain_text("Tavoite muuttui" if language == "fi" else "Målet ändrades")
    visit(page, reverse("strategy-create"), language)

    for name, organisation in (
        ("organisation-tree", world.sector),
        ("organisation-edit", world.unit_a),
        ("organisation-move", world.unit_a),
        ("organisation-dissolve", world.unit_b),
        ("people-list", world.sector),
        ("person-invite", world.sector),
    ):
        visit(page, reverse(name, args=[organisation.slug]), language)
    visit(page, reverse("profile"), language)
    visit(page, reverse("account-security"), language)
    # Setting up two-step sign-in shows the QR code and the code field.
    page.locator("main form[action$='/totp/start/'] [type=submit]").click()
    expect(page.locator("main img")).to_be_visible()
    assert_accessible(page)

    # A phone-wide screen: the edit mode and a create form fit without scrolling sideways.
    page.set_viewport_size(PHONE)
    page.goto(reverse("editor", args=[slug]))
    assert_no_sideways_scroll(page)
    page.goto(create_url(KINDS["action"], studio))
    expect(page.locator("form.part-form")).to_be_visible()
    assert_no_sideways_scroll(page)
