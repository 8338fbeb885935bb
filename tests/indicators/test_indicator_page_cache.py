"""The indicator page is kept in the fragment cache by what it shows and by
the reader's reach; a new value, a renamed person, another reader and an
unknown indicator all get what they should, and every form carries the
reader's own CSRF token."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.services import measurement_record
from tests.factories import csrf_token_in, signed_in

pytestmark = pytest.mark.django_db



def _page(client: Client, world, indicator) -> str:
    response = client.get(reverse("indicator-detail", args=[world.strategy.slug, indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _shown(page: str, number: int) -> bool:
    """Whether ``number`` (four digits) is in the page, in any language's format."""
    text = str(number)
    return any(form in page for form in (text, f"{text[0]} {text[1:]}", f"{text[0]}\xa0{text[1:]}", f"{text[0]},{text[1:]}"))


def test_a_second_visit_is_read_from_the_cache(world, visitors) -> None:
    owner = signed_in(world.owner, csrf_checks=True)
    _page(owner, world, visitors)
    with CaptureQueriesContext(connection) as queries:
        page = _page(owner, world, visitors)
    # The session, the user, the memberships, the strategy and the stamps.
    assert len(queries) == 5
    assert "Kävijämäärä" in page and "<svg" in page


def test_a_value_entered_shows_at_once_with_its_enterer(world, visitors) -> None:
    owner = signed_in(world.owner, csrf_checks=True)
    assert not _shown(_page(owner, world, visitors), 1357)
    measurement_record(indicator=visitors, year=2024, unit=world.unit_a, value=Decimal(1357), user=world.head)
    page = _page(owner, world, visitors)
    assert _shown(page, 1357) and "Entered by head" in page

    get_user_model().objects.filter(pk=world.head.pk).update(first_name="Helmi", last_name="Hakala")
    assert "Entered by Helmi Hakala" in _page(owner, world, visitors)


def test_each_reader_gets_the_cells_they_may_enter_and_their_own_token(world, visitors) -> None:
    owner, head = signed_in(world.owner, csrf_checks=True), signed_in(world.head, csrf_checks=True)
    target_cell = reverse("target-edit", args=[world.strategy.slug, visitors.pk, 2025, world.unit_a.pk])
    museum_cell = reverse("measurement-edit", args=[world.strategy.slug, visitors.pk, 2023, world.unit_b.pk])
    owners_page, heads_page = _page(owner, world, visitors), _page(head, world, visitors)
    assert target_cell in owners_page and museum_cell in owners_page
    assert target_cell not in heads_page and museum_cell not in heads_page

    # The cached grid's forms post with the reader's token.
    token = csrf_token_in(heads_page, 'id="indicator-body"')
    own_cell = reverse("measurement-edit", args=[world.strategy.slug, visitors.pk, 2024, world.unit_a.pk])
    response = head.post(own_cell, {"value": "1298", "version": "0", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert _shown(_page(owner, world, visitors), 1298)


def test_an_unknown_indicator_or_a_draft_s_is_not_found_even_when_cached(world, visitors) -> None:
    owner = signed_in(world.owner, csrf_checks=True)
    _page(owner, world, visitors)
    missing = reverse("indicator-detail", args=[world.strategy.slug, visitors.pk + 1000])
    assert owner.get(missing).status_code == 404
    # A draft is read by its organisation's members only: the cached page is not handed to others.
    world.strategy.status = "draft"
    world.strategy.save()
    _page(owner, world, visitors)
    stranger = signed_in(get_user_model().objects.create(username="ulkopuolinen"), csrf_checks=True)
    url = reverse("indicator-detail", args=[world.strategy.slug, visitors.pk])
    assert stranger.get(url).status_code == 404


def test_the_people_stamp_moves_with_names_not_with_sign_ins(world) -> None:
    from django.utils import timezone

    from strategy.fragments import data_stamp, stamp_parts

    def people() -> str:
        return stamp_parts([], data_stamp("people"))[-1]

    before = people()
    get_user_model().objects.filter(pk=world.head.pk).update(last_login=timezone.now())
    assert people() == before
    get_user_model().objects.filter(pk=world.head.pk).update(last_name="Uusi")
    assert people() != before
