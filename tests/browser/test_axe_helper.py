"""The axe helper itself: which pages it checks for colour contrast."""

from __future__ import annotations

from typing import Any

import pytest

from .axe import axe_violations

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
