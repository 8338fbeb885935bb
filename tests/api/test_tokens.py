"""Personal API tokens: created on the profile page, shown once, stored hashed, revoked."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_token_lifecycle_create_on_profile_use_revoke(world, client):
    client.force_login(world.head)
    page = client.get("/profile/")
    assert page.status_code == 200
    assert b'id="api-tokens"' in page.content

    created = client.post("/profile/api-tokens/", {"name": "viikkoraportti", "valid_days": "90"})
    assert created.status_code == 200
    secret = (
        re.search(rb'id="api-new-token" type="text" readonly value="([^"]+)"', created.content)
        .group(1)
        .decode()
    )
    token = ApiToken.objects.get(user=world.head)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(
        ApiToken.objects.filter(pk=token.pk).values().get()
    )  # only the hash is stored
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) / 2
    assert token.expires_at is not None and token.expires_at > timezone.now() + datetime.timedelta(
        days=89
    )

    again = client.get("/profile/")
    assert secret.encode() not in again.content  # shown once
    assert token.prefix.encode() in again.content and b"viikkoraportti" in again.content

    api = bearer(secret)
    response = api.get("/api/v1/strategies/")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoked = client.post(f"/profile/api-tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api.get("/api/v1/strategies/").status_code == 401


def test_htmx_create_returns_the_section_only(world, client):
    client.force_login(world.staff)
    response = client.post(
        "/profile/api-tokens/",
        {"name": "skripti", "valid_days": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<section id="api-tokens"')
    assert ApiToken.objects.get(user=world.staff).expires_at is None


def test_a_token_without_a_name_is_refused_and_nothing_is_created(world, client):
    client.force_login(world.staff)
    response = client.post("/profile/api-tokens/", {"name": "  "})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token(world, client):
    token, secret = api_token_create(user=world.head, name="oma", valid_days=None)
    client.force_login(world.otherhead)
    assert client.post(f"/profile/api-tokens/{token.pk}/revoke/").status_code == 404
    assert bearer(secret).get("/api/v1/strategies/").status_code == 200


def test_token_pages_need_a_signed_in_person_and_post(world, client):
    assert (
        client.post("/profile/api-tokens/", {"name": "x"}).status_code == 302
    )  # to the sign-in page
    client.force_login(world.head)
    assert client.get("/profile/api-tokens/").status_code == 405


def test_a_deactivated_persons_tokens_stop_working(world):
    _token, secret = api_token_create(user=world.staff, name="x", valid_days=None)
    assert bearer(secret).get("/api/v1/strategies/").status_code == 200
    world.staff.is_active = False
    world.staff.save()
    response = bearer(secret).get("/api/v1/strategies/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_expired_token_stops_working(world):
    token, secret = api_token_create(user=world.staff, name="x", valid_days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert bearer(secret).get("/api/v1/strategies/").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer a b", "Bearer suunta_wrong", "Token whatever"]
)
def test_malformed_or_unknown_tokens_get_401(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/strategies/").status_code == 401


def test_a_token_acts_with_its_persons_roles(world):
    _token, secret = api_token_create(user=world.otherhead, name="x", valid_days=None)
    from tests.factories import StrategyFactory

    StrategyFactory(organisation=world.unit_a, slug="kirjaston-luonnos", status="draft")
    assert bearer(secret).get("/api/v1/strategies/kirjaston-luonnos/").status_code == 404


def test_session_authentication_needs_csrf_for_writes(world, api_world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.head)
    assert client.get("/api/v1/plans/").status_code == 200
    response = client.patch(
        f"/api/v1/plan-items/{api_world.item_a.pk}/", {"version": 1, "progress": 5}, format="json"
    )
    assert response.status_code == 403


def test_requests_beyond_the_rate_limit_get_429(world, settings):
    from api.throttles import PersonRateThrottle

    PersonRateThrottle.THROTTLE_RATES = {**PersonRateThrottle.THROTTLE_RATES, "person": "2/min"}
    try:
        _token, secret = api_token_create(user=world.staff, name="x", valid_days=None)
        client = bearer(secret)
        assert [client.get("/api/v1/organisations/").status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        # Another token of the same person has a budget of its own.
        _other, second = api_token_create(user=world.staff, name="y", valid_days=None)
        assert bearer(second).get("/api/v1/organisations/").status_code == 200
    finally:
        del PersonRateThrottle.THROTTLE_RATES


def test_administrators_list_tokens_without_their_hash_and_cannot_add_one(world, client):
    from tests.factories import UserFactory

    api_token_create(user=world.head, name="viikkoraportti", valid_days=None)
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and b"viikkoraportti" in listing.content
    token = ApiToken.objects.get()
    assert (
        token.key_hash.encode() not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content
    )
    assert client.get("/admin/api/apitoken/add/").status_code == 403
