"""The axe helper itself: which pages it checks for colour contrast, which
text it does not check again (text styled like text that passed before), and
which links' colours it does not compare with their text (links whose style
already tells them apart)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from .axe import _contrast_passed, axe_violations

PALE = """<!doctype html><html lang="{lang}"><head><title>Testi</title></head>
<body><main><h1>Otsikko</h1><p style="color:#ccc;background:#fff">Vaalea teksti</p></main></body></html>"""


def rules(page: Any, lang: str, **kwargs: Any) -> set[str]:
    page.set_content(PALE.format(lang=lang))
    return {violation["id"] for violation in axe_violations(page, **kwargs)}


@pytest.mark.django_db(transaction=True)
def test_colour_contrast_is_checked_except_on_swedish_pages_unless_asked(page: Any) -> None:
    assert "color-contrast" in rules(page, "fi")
    assert "color-contrast" in rules(page, "en")
    # Tests that check a page in Swedish check it in Finnish too.
    assert "color-contrast" not in rules(page, "sv")
    assert "color-contrast" in rules(page, "sv", contrast=True)
    assert "color-contrast" not in rules(page, "fi", contrast=False)


PAGE = """<!doctype html><html lang="fi"><head><title>Testi</title></head>
<body style="margin:0;background:#fff"><main style="{main}">{before}<h1>Otsikko</h1>
<p style="color:#595959;font-size:16px">Harmaa teksti</p></main></body></html>"""


def contrast_failures(page: Any, **parts: str) -> int:
    """How many times axe finds the grey paragraph too pale."""
    page.set_content(PAGE.format(**{"main": "", "before": "", **parts}))
    violations = [violation for violation in axe_violations(page) if violation["id"] == "color-contrast"]
    return sum("Harmaa teksti" in node["html"] for violation in violations for node in violation["nodes"])


# Counts from now on how many elements axe's check ``id`` evaluates.
COUNT_EVALUATIONS = """(id) => {
    const check = window.axe._audit.checks[id];
    const evaluate = check.evaluate;
    window.evaluations = 0;
    check.evaluate = function (...args) { window.evaluations++; return evaluate.apply(this, args); };
}"""


def contrast_checks(page: Any) -> int:
    """How many elements axe's colour-contrast check evaluates when the page
    is checked once more (what this process remembered is skipped)."""
    page.evaluate(COUNT_EVALUATIONS, "color-contrast")
    axe_violations(page)
    return page.evaluate("() => window.evaluations")


@pytest.mark.django_db(transaction=True)
def test_text_styled_like_text_that_passed_is_not_checked_again(page: Any) -> None:
    assert contrast_failures(page) == 0
    assert _contrast_passed, "the grey text passed: its signature is remembered"
    assert contrast_checks(page) == 0, "the grey text was checked again"


@pytest.mark.django_db(transaction=True)
def test_remembered_text_is_checked_again_on_another_background(page: Any) -> None:
    assert contrast_failures(page) == 0
    # The same grey text on a dark main element.
    assert contrast_failures(page, main="background:#222") == 1


@pytest.mark.django_db(transaction=True)
def test_remembered_text_is_checked_again_over_a_positioned_element(page: Any) -> None:
    assert contrast_failures(page) == 0
    # Its ancestors are the same, but a dark box positioned behind it is not one of them.
    box = '<div style="position:absolute;left:0;top:0;width:100%;height:400px;background:#222;z-index:-1"></div>'
    assert contrast_failures(page, before=box) == 1


@pytest.mark.django_db(transaction=True)
def test_remembered_text_is_checked_again_under_a_translucent_ancestor(page: Any) -> None:
    assert contrast_failures(page) == 0
    assert contrast_failures(page, main="opacity:.4") == 1


FIELD = """<!doctype html><html lang="fi"><head><title>Testi</title></head>
<body style="margin:0;background:#fff"><main style="{main}"><h1>Otsikko</h1>
<label for="nimi">Nimi</label> <input id="nimi" style="color:#595959;background:transparent">
<p style="color:#595959">· · ·</p></main></body></html>"""


def field_failures(page: Any, main: str = "") -> set[str]:
    """Which of the empty grey field and the grey dots axe finds too pale."""
    page.set_content(FIELD.format(main=main))
    violations = [violation for violation in axe_violations(page) if violation["id"] == "color-contrast"]
    html = [node["html"] for violation in violations for node in violation["nodes"]]
    return {name for name, mark in (("field", "<input"), ("dots", "·")) if any(mark in text for text in html)}


@pytest.mark.django_db(transaction=True)
def test_empty_fields_and_symbols_are_remembered_by_their_style_too(page: Any) -> None:
    assert field_failures(page) == set()
    assert contrast_checks(page) == 0, "the field and the dots were checked again"
    # Styled alike on a dark background, both are checked and found too pale.
    assert field_failures(page, main="background:#222") == {"field", "dots"}


LINKS = """<!doctype html><html lang="fi"><head><title>Testi</title></head>
<body style="margin:0;background:#fff;color:#222"><main><h1>Otsikko</h1>
<p>Kappaleen tekstin keskellä on <a href="#a">alleviivattu linkki</a> ja tekstiä sen perässä.</p>
<p>Kappaleen tekstin keskellä on <a href="#b" style="text-decoration:none;color:#333">linkki</a> ja tekstiä sen perässä.</p>
</main></body></html>"""


@pytest.mark.django_db(transaction=True)
def test_only_links_told_apart_by_colour_alone_get_the_colour_check(page: Any) -> None:
    page.set_content(LINKS)
    violations = [violation for violation in axe_violations(page) if violation["id"] == "link-in-text-block"]
    # The link that is only a shade darker than the text is still reported.
    assert [node["html"] for violation in violations for node in violation["nodes"]] == [
        '<a href="#b" style="text-decoration:none;color:#333">linkki</a>'
    ]
    page.evaluate(COUNT_EVALUATIONS, "link-in-text-block")
    axe_violations(page)
    assert page.evaluate("() => window.evaluations") == 1, "the underlined link's colours were compared too"


TWINS = """<!doctype html><html lang="fi"><head><title>Testi</title></head>
<body style="margin:0;background:#fff"><main style="{main}">
<p style="color:#5b5b5b;font-size:17px">Ensimmäinen harmaa kappale</p>
<p style="color:#5b5b5b;font-size:17px">Toinen samanlainen kappale</p></main></body></html>"""


def twins_checked(page: Any, main: str = "") -> tuple[int, int]:
    """How many of the two alike grey paragraphs axe finds too pale, and how
    many it evaluated, in one check of a page it has not seen."""
    page.set_content(TWINS.format(main=main))
    page.evaluate(AXE_SCRIPT)  # the counter goes under the helper's memory
    page.evaluate(COUNT_EVALUATIONS, "color-contrast")
    violations = [violation for violation in axe_violations(page) if violation["id"] == "color-contrast"]
    return sum(len(violation["nodes"]) for violation in violations), page.evaluate("() => window.evaluations")


@pytest.fixture
def nothing_remembered() -> Iterator[None]:
    """The process's contrast memory is empty during the test and given back after it."""
    remembered = set(_contrast_passed)
    _contrast_passed.clear()
    yield
    _contrast_passed.clear()
    _contrast_passed.update(remembered)


@pytest.mark.django_db(transaction=True)
def test_text_styled_like_text_that_passed_earlier_in_the_same_check_is_not_evaluated(
    page: Any, nothing_remembered: None
) -> None:
    # The second paragraph passes because the first did.
    assert twins_checked(page) == (0, 1)
    _contrast_passed.clear()  # the twins' style, remembered just now
    # Alike and too pale on a dark background: both are evaluated and reported.
    assert twins_checked(page, main="background:#222") == (2, 2)
