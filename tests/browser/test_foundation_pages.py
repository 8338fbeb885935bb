"""The foundation's pages load in Chromium, pass axe, and the language switcher works without JS."""

from __future__ import annotations

import pytest

from maturity.models import Criterion, Dimension, Level, MaturityModel
from strategy.models import StrategicChoice, TargetState, Vision
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    PerspectiveFactory,
    SectionFactory,
    StrategicChoiceFactory,
)

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rich_strategy(world):
    """The world's strategy with every kind of content the overview shows."""
    strategy = world.strategy
    strategy.purpose = "Kulttuuri kuuluu kaikille."
    strategy.save()
    Vision.objects.create(strategy=strategy, text="Vuonna 2027 kulttuuri ja liikunta ovat osa jokaisen arkea.")
    TargetState.objects.create(strategy=strategy, title="Asukkaat voivat hyvin.", order=1)
    StrategicChoiceFactory(
        strategy=strategy, group=StrategicChoice.Group.EXTERNAL, theme="Asiakkaat",
        invest_in="lapsiin ja nuoriin", more_than="satunnaisiin kävijöihin",
    )
    StrategicChoiceFactory(
        strategy=strategy, group=StrategicChoice.Group.INTERNAL, theme="Osaaminen",
        invest_in="digitaalisiin taitoihin", more_than="perinteisiin välineisiin",
    )
    perspective = PerspectiveFactory(strategy=strategy, name="Asukkaat")
    GoalFactory(strategy=strategy, perspective=perspective, title="Kävijämäärä kasvaa", direction="increase")
    GoalFactory(strategy=strategy, title="Hiilijalanjälki pienenee", direction="decrease")
    for number, title in (("3.1", "Hyvinvointi"), ("3.2", "Osallisuus")):
        area = FocusAreaFactory(strategy=strategy, number=number, title=title)
        ActionFactory(strategy=strategy, focus_area=area, title=f"{title}: ensimmäinen toimenpide", budget=1200)
        ActionFactory(strategy=strategy, focus_area=area, title=f"{title}: toinen toimenpide")
    model = MaturityModel.objects.create(strategy=strategy, name="Kypsyysmalli")
    levels = [
        Level.objects.create(model=model, ordinal=n, name_fi=fi, name_sv=sv)
        for n, (fi, sv) in enumerate(
            [("Alkava", "Inleds"), ("Kehittyvä", "Utvecklas"), ("Hyvä", "Bra"), ("Optimaalinen", "Optimalt")], start=1
        )
    ]
    for n in range(1, 3):
        section = SectionFactory(strategy=strategy, number=str(n), title=f"Luku {n}")
        dimension = Dimension.objects.create(model=model, section=section, number=str(n), title=f"Ulottuvuus {n}", order=n)
        for level in levels:
            Criterion.objects.create(dimension=dimension, level=level, text=f"Kriteeri {n}/{level.ordinal}")
    return strategy


def test_login_page_is_accessible(page, live_server) -> None:
    page.goto("/accounts/login/")
    assert page.locator("input[name='username']").is_visible()
    assert page.locator("html").get_attribute("lang") == "fi"
    assert_accessible(page)


def test_home_lists_the_strategy_and_is_accessible(page, login, world) -> None:
    login(page, "owner")
    page.goto("/")
    assert page.get_by_role("link", name="Kulttuuristrategia").first.is_visible()
    assert_accessible(page)


def test_strategy_overview_with_content_is_accessible(page, login, rich_strategy) -> None:
    login(page, "viewer")
    page.goto(f"/strategies/{rich_strategy.slug}/")
    main = page.locator("main")
    for text in (
        "Vuonna 2027 kulttuuri ja liikunta",
        "lapsiin ja nuoriin",
        "satunnaisiin kävijöihin",
        "Kävijämäärä kasvaa",
        "Hyvinvointi: ensimmäinen toimenpide",
        "Osallisuus: toinen toimenpide",
        "Optimaalinen",
        "Kriteeri 2/4",
    ):
        assert main.get_by_text(text).first.is_visible(), text
    assert_accessible(page)


def test_accessibility_statement_is_accessible(page, live_server) -> None:
    page.goto("/accessibility/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(("code", "heading"), [("sv", "Logga in i Suunta"), ("en", "Log in to Suunta")])
def test_language_switcher_works_without_javascript(browser, live_server, code, heading) -> None:
    context = browser.new_context(base_url=live_server.url, locale="fi-FI", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "fi"
        assert page.locator("h1").inner_text() == "Kirjaudu Suuntaan"
        page.locator("#language-select").select_option(code)
        with page.expect_navigation():
            page.locator("form.language-form [type='submit']").click()
        assert page.url.endswith("/accounts/login/")
        assert page.locator("html").get_attribute("lang") == code
        assert page.locator("#language-select").input_value() == code
        assert page.locator("h1").inner_text() == heading
    finally:
        context.close()


def test_axe_helper_reports_violations_readably(page, live_server) -> None:
    page.goto("/accessibility/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'unlabelled'; document.querySelector('main').append(i); }"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "label" in message
    assert "#unlabelled" in message
    assert_accessible(page, context={"exclude": [["#unlabelled"]]})


def test_every_demo_strategy_overview_is_accessible(page, login) -> None:
    """The five seeds in their own words (load_demo) pass axe, as the owner sees them."""
    from django.core.management import call_command

    from strategy.models import Strategy

    call_command("load_demo", force=True, verbosity=0)  # tests run with DEBUG=False
    slugs = list(Strategy.objects.order_by("pk").values_list("slug", flat=True))
    assert len(slugs) >= 5
    login(page, "owner")
    page.goto("/")
    for slug in slugs:
        assert page.locator(f"main a[href='/strategies/{slug}/']").count() >= 1, slug
    assert_accessible(page)
    for slug in slugs:
        page.goto(f"/strategies/{slug}/")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
