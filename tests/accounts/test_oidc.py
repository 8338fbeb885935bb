"""Single sign-on without a provider: settings, pages, roles from groups, token checks.

The sign-in itself, through a real provider, is in ``test_oidc_sign_in.py``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation

from accounts.models import OidcGrant
from accounts.oidc import SuuntaOIDCBackend, oidc_memberships_sync
from config.settings import oidc_group_roles
from strategy.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory

BASE_DIR = Path(__file__).resolve().parents[2]
GROUP_ROLES = {
    "kirjasto-esihenkilot": (("head", "kirjasto"),),
    "kulttuuri-omistajat": (("owner", "kulttuuri"), ("viewer", "kulttuuri")),
    "lakkautettu": (("staff", "ei-ole-olemassa"),),
}


@pytest.fixture
def sso_on(settings) -> None:
    """Single sign-on configured with explicit endpoints: nothing is fetched."""
    settings.OIDC_RP_CLIENT_ID = "suunta"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.SUUNTA_OIDC_ISSUER = "https://login.example.fi/tenant/v2.0"
    settings.SUUNTA_OIDC_PROVIDER_NAME = "Testikaupungin tunnistus"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.fi/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.fi/token"
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.fi/keys"
    settings.SUUNTA_OIDC_GROUP_ROLES = GROUP_ROLES


# --- settings ------------------------------------------------------------------------------


def test_group_roles_are_read_as_group_role_and_organisation() -> None:
    raw = " kirjasto-esihenkilot=head@kirjasto, kulttuuri-omistajat=owner@kulttuuri,kulttuuri-omistajat=viewer@kulttuuri ,"
    assert oidc_group_roles("SUUNTA_OIDC_GROUP_ROLES", raw) == {
        "kirjasto-esihenkilot": (("head", "kirjasto"),),
        "kulttuuri-omistajat": (("owner", "kulttuuri"), ("viewer", "kulttuuri")),
    }
    # Entra ID sends group object ids; an @ in a group name is allowed, the last one splits.
    assert oidc_group_roles("X", "5f0c-aa@city.fi=staff@museo") == {"5f0c-aa@city.fi": (("staff", "museo"),)}
    assert oidc_group_roles("X", "") == {}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("kirjasto-esihenkilot", "is not group=role@organisation-slug"),
        ("kirjasto-esihenkilot=head", "is not group=role@organisation-slug"),
        ("=head@kirjasto", "is not group=role@organisation-slug"),
        ("ryhma=head@", "is not group=role@organisation-slug"),
        ("ryhma=boss@kirjasto", "unknown role 'boss'"),
        ("ryhma=Head@kirjasto", "unknown role 'Head'"),
        ("ryhma=head@kirjasto ja museo", "is not an organisation slug"),
        ("ryhma=head@kirjasto,ryhma=head@kirjasto", "is given twice"),
    ],
)
def test_malformed_group_roles_stop_with_the_variables_name(raw: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        oidc_group_roles("SUUNTA_OIDC_GROUP_ROLES", raw)
    assert str(error.value).startswith("SUUNTA_OIDC_GROUP_ROLES: ")
    assert says in str(error.value)


def test_role_names_the_settings_accept_are_the_membership_roles(settings) -> None:
    assert set(settings.SUUNTA_OIDC_ROLE_NAMES) == set(Role.values)


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py check`` in a fresh process with only these variables set."""
    keep = ("PATH", "HOME", "LANG", "PYENV_ROOT")
    clean = {key: value for key, value in os.environ.items() if key in keep}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**clean, "SUUNTA_VAR_DIR": str(BASE_DIR / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "says"),
    [
        (
            {"SUUNTA_OIDC_GROUP_ROLES": "suunta-heads=head"},
            "SUUNTA_OIDC_GROUP_ROLES: 'suunta-heads=head' is not group=role@organisation-slug",
        ),
        (
            {"SUUNTA_OIDC_CLIENT_ID": "suunta", "SUUNTA_OIDC_CLIENT_SECRET": "s"},
            "SUUNTA_OIDC_ISSUER must be set, or else SUUNTA_OIDC_AUTHORIZATION_ENDPOINT, "
            "SUUNTA_OIDC_TOKEN_ENDPOINT, SUUNTA_OIDC_JWKS_ENDPOINT",
        ),
        (
            {"SUUNTA_OIDC_CLIENT_ID": "suunta", "SUUNTA_OIDC_ISSUER": "https://login.example.fi"},
            "SUUNTA_OIDC_CLIENT_SECRET must be set when SUUNTA_OIDC_CLIENT_ID is",
        ),
    ],
)
def test_bad_single_sign_on_settings_stop_the_start(env: dict[str, str], says: str) -> None:
    result = run_check(**env)
    assert result.returncode != 0
    assert says in result.stderr


def test_suunta_starts_with_an_issuer_it_cannot_reach() -> None:
    """Discovery waits for the first sign-in: a provider that is down does
    not keep Suunta (and password sign-in) from starting."""
    started = time.monotonic()
    result = run_check(
        SUUNTA_OIDC_CLIENT_ID="suunta",
        SUUNTA_OIDC_CLIENT_SECRET="s",
        SUUNTA_OIDC_ISSUER="http://127.0.0.1:9/unreachable",
        SUUNTA_OIDC_TIMEOUT="30",
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60


# --- pages -----------------------------------------------------------------------------------


def test_sign_in_urls_answer_404_while_single_sign_on_is_off(client, db) -> None:
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_login_page_has_no_single_sign_on_button_while_it_is_off(client, db) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "/oidc/authenticate/" not in response.content.decode()


def test_login_page_offers_the_provider_by_name_and_keeps_next(client, db, sso_on) -> None:
    response = client.get("/accounts/login/?next=/my-units/")
    html = response.content.decode()
    assert "Sign in with Testikaupungin tunnistus" in html
    assert 'href="/oidc/authenticate/?next=/my-units/"' in html


def test_sign_in_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, db, sso_on) -> None:
    response = client.get("/oidc/authenticate/?next=/my-units/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://login.example.fi/authorize"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["client_id"] == "suunta"
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256"
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert client.session["oidc_login_next"] == "/my-units/"


def test_unreachable_provider_sends_the_person_back_with_a_message(client, db, settings, sso_on) -> None:
    settings.SUUNTA_OIDC_ISSUER = "http://127.0.0.1:9/unreachable"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""  # so it must be discovered
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Testikaupungin tunnistus cannot be reached right now" in response.content.decode()


def test_provider_error_on_the_callback_is_refused_and_logged(client, db, sso_on, caplog) -> None:
    caplog.set_level(logging.INFO, logger="suunta.security")
    response = client.get("/oidc/callback/?error=access_denied&state=abc", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Signing in with Testikaupungin tunnistus did not succeed" in response.content.decode()
    assert '"reason": "provider_error"' in caplog.text and '"error": "access_denied"' in caplog.text
    assert "_auth_user_id" not in client.session


def test_password_sign_in_still_works_with_single_sign_on_on(client, world, sso_on) -> None:
    response = client.post("/accounts/login/", {"username": "head", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.head.pk)


def test_closed_account_loses_its_single_sign_on_session(client, world, sso_on) -> None:
    client.force_login(world.head, backend="accounts.oidc.SuuntaOIDCBackend")
    assert client.get("/my-units/").status_code == 200
    world.head.is_active = False
    world.head.save()
    response = client.get("/my-units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- roles from groups ---------------------------------------------------------------------


def roles_of(user) -> set[tuple[str, str, bool]]:
    return {
        (m.role, m.organisation.slug, OidcGrant.objects.filter(membership=m).exists())
        for m in Membership.objects.filter(user=user).select_related("organisation")
    }


def test_groups_give_their_roles_and_mark_them(world, settings, caplog) -> None:
    settings.SUUNTA_OIDC_GROUP_ROLES = GROUP_ROLES
    added, removed = oidc_memberships_sync(
        user=world.otherhead, groups=["kirjasto-esihenkilot", "kulttuuri-omistajat", "lakkautettu", "muu"]
    )
    assert {(m.role, m.organisation.slug) for m in added} == {
        ("head", "kirjasto"), ("owner", "kulttuuri"), ("viewer", "kulttuuri"),
    }
    assert removed == []
    assert roles_of(world.otherhead) == {
        ("head", "museo", False),  # by hand
        ("head", "kirjasto", True), ("owner", "kulttuuri", True), ("viewer", "kulttuuri", True),
    }
    assert "ei-ole-olemassa" in caplog.text


def test_a_group_taken_away_takes_away_only_the_roles_it_gave(world, settings) -> None:
    settings.SUUNTA_OIDC_GROUP_ROLES = GROUP_ROLES
    oidc_memberships_sync(user=world.staff, groups=["kirjasto-esihenkilot", "kulttuuri-omistajat"])

    added, removed = oidc_memberships_sync(user=world.staff, groups=["kulttuuri-omistajat"])

    assert added == []
    assert [(m.role, m.organisation.slug) for m in removed] == [("head", "kirjasto")]
    assert roles_of(world.staff) == {
        ("staff", "kirjasto", False), ("owner", "kulttuuri", True), ("viewer", "kulttuuri", True),
    }


def test_a_role_given_by_hand_stays_when_the_group_that_also_gives_it_goes(world, settings) -> None:
    settings.SUUNTA_OIDC_GROUP_ROLES = GROUP_ROLES
    # world.head heads the library by hand; the group gives the same role.
    assert oidc_memberships_sync(user=world.head, groups=["kirjasto-esihenkilot"]) == ([], [])
    assert oidc_memberships_sync(user=world.head, groups=[]) == ([], [])
    assert roles_of(world.head) == {("head", "kirjasto", False)}


def test_a_role_given_by_hand_later_is_not_taken_away_with_the_groups(world, settings) -> None:
    settings.SUUNTA_OIDC_GROUP_ROLES = GROUP_ROLES
    oidc_memberships_sync(user=world.viewer, groups=["kirjasto-esihenkilot"])
    MembershipFactory(user=world.viewer, organisation=world.unit_b, role=Role.STAFF)
    oidc_memberships_sync(user=world.viewer, groups=[])
    assert roles_of(world.viewer) == {("viewer", "kulttuuri", False), ("staff", "museo", False)}


# --- the ID token's audience and issuer ---------------------------------------------------


def token(**claims: object) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://login.example.fi/tenant/v2.0", "sub": "abc", "aud": "suunta",
        "iat": now, "exp": now + 300, **claims,
    }
    return jwt.encode({key: value for key, value in payload.items() if value is not None}, "client-secret-that-is-long-enough", algorithm="HS256")


@pytest.fixture
def hs256_backend(settings, sso_on) -> SuuntaOIDCBackend:
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret-that-is-long-enough"
    return SuuntaOIDCBackend()


def test_token_for_this_client_from_the_issuer_is_accepted(hs256_backend) -> None:
    payload = hs256_backend.get_payload_data(token(), "client-secret-that-is-long-enough")
    assert payload["sub"] == "abc"


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-app"},
        {"aud": ["another-app", "suunta"]},  # several audiences and no azp for us
        {"iss": "https://evil.example/v2.0"},
        {"iss": None},
        {"sub": None},
        {"exp": int(time.time()) - 60},
    ],
)
def test_token_for_another_client_or_issuer_is_refused(hs256_backend, claims: dict[str, object]) -> None:
    with pytest.raises((SuspiciousOperation, jwt.PyJWTError)):
        hs256_backend.get_payload_data(token(**claims), "client-secret-that-is-long-enough")


def test_token_signed_with_another_secret_is_refused(hs256_backend) -> None:
    forged = jwt.encode({"iss": "https://login.example.fi/tenant/v2.0", "sub": "abc", "aud": "suunta"}, "x" * 40, algorithm="HS256")
    with pytest.raises(SuspiciousOperation):
        hs256_backend.get_payload_data(forged, "client-secret-that-is-long-enough")


def test_refused_callbacks_from_one_address_do_not_lock_single_sign_on_out(client, db, settings, sso_on) -> None:
    """Throttling counts password guesses per username and address; callbacks
    have no username, so counting them would lock out everyone behind one address."""
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # refused: provider unreachable
    for attempt in range(settings.SUUNTA_LOGIN_FAILURE_LIMIT + 2):
        session = client.session
        session["oidc_states"] = {f"state{attempt}": {"nonce": "n", "code_verifier": "v" * 43, "added_on": 0}}
        session.save()
        response = client.get(f"/oidc/callback/?code=c&state=state{attempt}")
        assert (response.status_code, response["Location"]) == (302, "/accounts/login/"), attempt
    assert not AccessAttempt.objects.exists()
