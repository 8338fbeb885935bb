"""The page header (the navigation, the person's roles, the strategy) costs
every signed-in page: its parts are read and rendered once and reused, yet
show the right links for each person and follow a new membership or a
renamed strategy at once."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.access import Access
from strategy.models import Membership, Organisation, Role

from ..factories import MembershipFactory, OrganisationFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def orm_memberships(user: object) -> list[Membership]:
    """What ``Access.memberships`` reads, written with the ORM."""
    return list(
        Membership.objects.filter(user=user, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )


def as_values(memberships: list[Membership]) -> list[tuple[object, ...]]:
    fields = [f.attname for f in Membership._meta.concrete_fields]
    org_fields = [f.attname for f in Organisation._meta.concrete_fields]
    return [
        (
            tuple(getattr(m, name) for name in fields),
            tuple(
                (getattr(m.organisation, name), type(getattr(m.organisation, name)))
                for name in org_fields
            ),
            m._state.db,
            m._state.adding,
        )
        for m in memberships
    ]


def test_memberships_read_in_sql_are_the_objects_the_orm_reads(
    world, django_assert_num_queries
) -> None:
    dissolved = OrganisationFactory(
        name="Lakkautettu", slug="lakkautettu", parent=world.city, is_active=False
    )
    old = OrganisationFactory(
        name="Vanha", slug="vanha", parent=world.city, dissolved_on=date(2030, 1, 1)
    )
    MembershipFactory(user=world.head, organisation=dissolved, role=Role.OWNER)
    MembershipFactory(user=world.head, organisation=old, role=Role.VIEWER, title="Tarkkailija")
    MembershipFactory(user=world.head, organisation=world.unit_a, role=Role.STAFF)

    with django_assert_num_queries(1):
        memberships = Access(world.head).memberships
        names = [m.organisation.name for m in memberships]

    assert as_values(memberships) == as_values(orm_memberships(world.head))
    assert names == ["Kirjasto", "Kirjasto", "Vanha"]
    assert [m.role for m in memberships] == [Role.HEAD, Role.STAFF, Role.VIEWER]
    assert memberships[2].organisation.dissolved_on == date(2030, 1, 1)
    assert memberships[0].organisation.is_active is True


def test_a_visitor_who_is_not_signed_in_has_no_memberships(django_assert_num_queries) -> None:
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert Access(AnonymousUser()).memberships == []


def test_home_page_answers_for_every_persona(client: Client, world) -> None:
    for persona in ("owner", "head", "staff", "viewer"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("home")).status_code == 200


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def page(client: Client, url: str, language: str = "fi") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_owner_sees_the_navigation_their_role_and_their_tools(world) -> None:
    top = header(page(signed_in(world.owner), reverse("home"), "en"))
    assert f'<li><a href="{reverse("home")}">Strategies</a></li>' in top
    assert "<span>Kulttuuri ja vapaa-aika (Strategy owner)</span>" in top
    assert f'action="{reverse("search")}"' in top
    assert f'href="{reverse("profile")}"' in top
    assert f'action="{reverse("logout")}"' in top
    assert '<span class="user-name">owner</span>' in top


def test_a_unit_head_sees_their_own_unit_not_the_owners_sector(world) -> None:
    top = header(page(signed_in(world.head), reverse("home"), "en"))
    assert "<span>Kirjasto (Unit head)</span>" in top
    assert "Kulttuuri ja vapaa-aika" not in top
    assert '<span class="user-name">head</span>' in top


def test_a_visitor_who_is_not_signed_in_gets_the_language_choice_only(
    client: Client, world
) -> None:
    top = header(page(client, reverse("login"), "en"))
    assert 'class="brand"' in top
    assert 'class="language-form"' in top
    for signed_in_only in (
        "site-nav",
        "site-header__org",
        "site-search",
        "profile-link",
        "logout-form",
    ):
        assert signed_in_only not in top


def test_the_frame_is_rendered_once_per_process_and_language(world) -> None:
    from strategy.context_processors import _kept_frame

    _kept_frame.cache_clear()
    client = signed_in(world.head)
    first = page(client, reverse("home"), "sv")
    rendered = _kept_frame.cache_info().misses
    assert rendered == 1
    assert page(signed_in(world.owner), reverse("my-units"), "sv")
    again = page(client, reverse("home"), "sv")
    assert _kept_frame.cache_info().misses == rendered
    assert first == again.replace(csrf(again), csrf(first)).replace(nonce(again), nonce(first))


def csrf(html: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def nonce(html: str) -> str:
    return re.search(r'nonce="([^"]+)"', html).group(1)


def test_the_frame_is_in_the_readers_language(world) -> None:
    client = signed_in(world.head)
    for language, skip, selected in (
        ("fi", "Siirry sisältöön", '<option value="fi" lang="fi" selected>Suomi</option>'),
        ("sv", "Hoppa till innehållet", '<option value="sv" lang="sv" selected>Svenska</option>'),
        ("en", "Skip to content", '<option value="en" lang="en" selected>English</option>'),
    ):
        for _again in range(2):
            html = page(client, reverse("home"), language)
            assert f'<html lang="{language}">' in html
            assert f'<a class="skip-link" href="#main">{skip}</a>' in html
            assert selected in html


def test_the_frame_keeps_each_requests_token_nonce_and_path(world) -> None:
    pages = []
    for user in (world.owner, world.head):
        response = signed_in(user).get(
            reverse("my-units") + "?year=2025", HTTP_ACCEPT_LANGUAGE="fi"
        )
        html = response.content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
        nonces = set(re.findall(r'nonce="([^"]+)"', html))
        assert len(tokens) == 1, "one token in the page, the request's own"
        assert nonces and all(
            f"'nonce-{nonce}'" in response["Content-Security-Policy"] for nonce in nonces
        )
        assert f'name="next" type="hidden" value="{reverse("my-units")}?year=2025"' in html
        pages.append((tokens, nonces))
    assert not pages[0][0] & pages[1][0]
    assert not pages[0][1] & pages[1][1]


def test_the_header_shows_a_new_membership_at_once(world) -> None:
    client = signed_in(world.head)
    assert "Museo" not in header(page(client, reverse("home"), "en"))
    MembershipFactory(user=world.head, organisation=world.unit_b, role=Role.STAFF)
    top = header(page(client, reverse("home"), "en"))
    assert "<span>Kirjasto (Unit head)</span>, <span>Museo (Staff member)</span>" in top


def test_the_header_names_a_renamed_strategy_at_once(world) -> None:
    client = signed_in(world.owner)
    url = reverse("strategy-detail", args=[world.strategy.slug])
    assert ">Kulttuuristrategia</a>" in header(page(client, url))
    world.strategy.title = "Kulttuurin ja vapaa-ajan strategia"
    world.strategy.save()
    top = header(page(client, url))
    assert ">Kulttuurin ja vapaa-ajan strategia</a>" in top
    assert ">Kulttuuristrategia</a>" not in top


def home_queries(user: object) -> int:
    client = signed_in(user)
    page(client, reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        page(client, reverse("home"))
    return len(captured)


def test_the_home_pages_queries_do_not_grow_with_memberships_and_strategies(world) -> None:
    owner_before, head_before = home_queries(world.owner), home_queries(world.head)
    for n in range(6):
        unit = OrganisationFactory(name=f"Yksikkö {n}", slug=f"yksikko-{n}", parent=world.sector)
        MembershipFactory(user=world.owner, organisation=unit, role=Role.OWNER)
        MembershipFactory(user=world.head, organisation=unit, role=Role.HEAD)
        StrategyFactory(organisation=unit, title=f"Strategia {n}", slug=f"strategia-{n}")
    assert home_queries(world.owner) == owner_before
    assert home_queries(world.head) == head_before
    # The session, the user, their memberships, their strategies (and a head's plans for My units).
    assert owner_before <= 4
    assert head_before <= 5


def test_with_debug_on_the_frame_follows_the_template_at_once(settings, world) -> None:
    from strategy.context_processors import _kept_frame

    settings.DEBUG = True
    _kept_frame.cache_clear()
    html = page(signed_in(world.head), reverse("home"), "en")
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert 'class="language-form"' in html
    assert _kept_frame.cache_info().misses == 0
