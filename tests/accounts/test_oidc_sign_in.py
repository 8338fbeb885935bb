"""Single sign-on end to end, through a real OpenID Connect provider.

The provider (django-oauth-toolkit, ``tests/accounts/oidc_provider``) runs in
its own process on 127.0.0.1; Suunta runs in ``live_server``. A
``requests.Session`` plays the browser: Suunta's login page, "Sign in with …",
the provider's login form, its consent page, back to Suunta's callback.
Suunta is given the issuer only, so the provider's endpoints are discovered.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ExternalIdentity, OidcGrant
from accounts.oidc import refusal_message
from strategy import clock
from strategy.models import Membership, Role
from tests.factories import AnnualPlanFactory, MembershipFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PROVIDER_SETTINGS = "tests.accounts.oidc_provider.settings"
PROVIDER_NAME = "Testikaupungin tunnistus"
HEADS_GROUP = "kirjasto-esihenkilot"
PASSWORD = "provider-password"

pytestmark = pytest.mark.django_db(transaction=True)


# --- the provider ------------------------------------------------------------------------


@dataclass
class Provider:
    url: str
    env: dict[str, str]
    log: Path
    client_id: str = "suunta"
    client_secret: str = "suunta-client-secret"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def setup(self, *args: str) -> None:
        """Run the provider's setup command (create its database, register Suunta)."""
        result = subprocess.run(
            [sys.executable, "-m", "django", "provider_setup", *args],
            cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr

    def person(self, username: str, *, email: str, groups: list[str], **names: str) -> None:
        """Create or change a person at the running provider (a request, not a setup process)."""
        response = requests.post(
            f"{self.url}/setup/people/{username}/",
            json={"password": PASSWORD, "email": email, "groups": groups, **names},
            headers={"X-Setup-Token": self.env["OIDC_PROVIDER_SETUP_TOKEN"]},
            timeout=30,
        )
        assert response.status_code == 204, response.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory, live_server) -> Iterator[Provider]:
    """The provider, migrated, with Suunta registered as its client, listening;
    one per module (starting costs seconds)."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    _write_key(folder / "key.pem")
    _write_key(folder / "wrong-key.pem")
    url = f"http://127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": PROVIDER_SETTINGS,
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_ISSUER": f"{url}/o",
        "OIDC_PROVIDER_KEY": str(folder / "key.pem"),
        "OIDC_PROVIDER_WRONG_KEY": str(folder / "wrong-key.pem"),
        "OIDC_PROVIDER_SETUP_TOKEN": secrets.token_urlsafe(32),
    }
    provider = Provider(url=url, env=env, log=folder / "provider.log")
    provider.setup(
        "--migrate",
        "--client-id", provider.client_id,
        "--client-secret", provider.client_secret,
        "--redirect-uri", f"{live_server.url}/oidc/callback/",
    )
    with provider.log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", url.removeprefix("http://"), "--noreload"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("The OpenID Connect provider did not start:\n" + provider.log.read_text())
                time.sleep(0.2)
            yield provider
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def sso(oidc_provider: Provider, settings) -> Provider:
    """Suunta's single sign-on pointed at the provider."""
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.SUUNTA_OIDC_ISSUER = oidc_provider.issuer
    settings.SUUNTA_OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.SUUNTA_OIDC_CREATE_USERS = False
    settings.SUUNTA_OIDC_GROUP_ROLES = {HEADS_GROUP: (("head", "kirjasto"),)}
    return oidc_provider


# --- a browser made of requests ----------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _Page(HTMLParser):
    """The forms and links of a page: enough to click through a sign-in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self._link: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get").lower()))
        elif tag == "input" and self.forms and attributes.get("name"):
            if attributes.get("type") != "submit":
                self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "a":
            self._link, self._text = attributes.get("href", ""), []

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((" ".join("".join(self._text).split()), self._link))
            self._link = None


def parse(response: requests.Response) -> _Page:
    page = _Page()
    page.feed(response.text)
    return page


def submit(session: requests.Session, response: requests.Response, form: Form, **values: str) -> requests.Response:
    url = urljoin(response.url, form.action or response.url)
    return session.request(form.method.upper(), url, data={**form.fields, **values}, timeout=30)


def new_browser() -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "fi-FI,fi;q=0.9"
    return session


def sign_in(live_server, username: str, *, session: requests.Session | None = None) -> tuple[requests.Session, requests.Response]:
    """Suunta's login page → "Sign in with …" → the provider's login form →
    its consent page → Suunta's callback. Returns the page the browser ends on."""
    session = session or new_browser()
    login_page = session.get(f"{live_server.url}/accounts/login/", timeout=30)
    (href,) = [href for text, href in parse(login_page).links if PROVIDER_NAME in text]
    response = session.get(urljoin(login_page.url, href), timeout=30)
    assert not response.url.startswith(live_server.url), "Suunta did not send the browser to the provider"
    (form,) = [form for form in parse(response).forms if "password" in form.fields]
    response = submit(session, response, form, username=username, password=PASSWORD)
    consent = [form for form in parse(response).forms if "client_id" in form.fields]
    assert consent, f"The provider did not ask for consent: {response.url}\n{response.text[:500]}"
    response = submit(session, response, consent[0], allow="Authorize")
    return session, response


def signed_in_user_id(session: requests.Session) -> int | None:
    key = session.cookies.get("sessionid")
    if not key:
        return None
    data = Session.objects.get(session_key=key).get_decoded()
    return int(data["_auth_user_id"]) if "_auth_user_id" in data else None


def logged_events(caplog: pytest.LogCaptureFixture, event: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "suunta.security" and f'"event": "{event}"' in r.getMessage()]


# --- tests -------------------------------------------------------------------------------


def test_new_person_signs_in_through_the_provider_and_heads_the_unit_their_group_gives(
    sso: Provider, live_server, world, settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SUUNTA_OIDC_CREATE_USERS = True
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=clock.current_year(world.strategy))
    sso.person("aino", email="Aino.Aalto@Testikaupunki.fi", groups=[HEADS_GROUP], first_name="Aino", last_name="Aalto")
    caplog.set_level(logging.INFO, logger="suunta.security")

    browser, landing = sign_in(live_server, "aino")

    assert landing.status_code == 200
    assert landing.url == f"{live_server.url}/"
    user = get_user_model().objects.get(email__iexact="aino.aalto@testikaupunki.fi")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Aino", "Aalto", False)
    assert signed_in_user_id(browser) == user.pk
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.issuer == sso.issuer
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (world.unit_a, Role.HEAD)
    assert OidcGrant.objects.filter(membership=membership).exists()
    session = Session.objects.get(session_key=browser.cookies["sessionid"]).get_decoded()
    assert session["suunta_auth_method"] == "oidc"
    my_units = browser.get(f"{live_server.url}/my-units/", timeout=30)
    assert f"/plans/{plan.pk}/" in my_units.text
    assert browser.get(f"{live_server.url}/plans/{plan.pk}/", timeout=30).status_code == 200
    (event,) = logged_events(caplog, "login.oidc")
    assert '"created": true' in event and '"roles_added": ["head@kirjasto"]' in event

    # The group is taken away at the provider: the next sign-in takes the role away.
    sso.person("aino", email="Aino.Aalto@Testikaupunki.fi", groups=[])
    browser, landing = sign_in(live_server, "aino")

    assert signed_in_user_id(browser) == user.pk
    assert get_user_model().objects.filter(email__iexact="aino.aalto@testikaupunki.fi").count() == 1
    assert not Membership.objects.filter(user=user).exists()
    assert not OidcGrant.objects.exists()
    assert f"/plans/{plan.pk}/" not in browser.get(f"{live_server.url}/my-units/", timeout=30).text
    assert browser.get(f"{live_server.url}/plans/{plan.pk}/", timeout=30).status_code == 404


def test_existing_person_is_found_by_email_then_by_subject_and_keeps_hand_made_roles(
    sso: Provider, live_server, world
) -> None:
    # world.staff works in the library by hand (STAFF); the group adds HEAD.
    sso.person("staff-at-provider", email="STAFF@example.fi", groups=[HEADS_GROUP])
    # A one-time code after a password, but the provider vouches for the second factor.
    TOTPDevice.objects.create(user=world.staff, name="Suunta", confirmed=True)

    browser, landing = sign_in(live_server, "staff-at-provider")

    assert signed_in_user_id(browser) == world.staff.pk
    assert landing.url == f"{live_server.url}/"
    roles = set(Membership.objects.filter(user=world.staff).values_list("role", flat=True))
    assert roles == {Role.STAFF, Role.HEAD}
    assert ExternalIdentity.objects.get(user=world.staff).issuer == sso.issuer

    # A new address at the provider: the stored subject still finds the person.
    sso.person("staff-at-provider", email="maija.meikalainen@example.fi", groups=[])
    browser, _landing = sign_in(live_server, "staff-at-provider")

    assert signed_in_user_id(browser) == world.staff.pk
    assert list(Membership.objects.filter(user=world.staff).values_list("role", flat=True)) == [Role.STAFF]
    assert get_user_model().objects.count() == 5


def test_unknown_person_is_refused_when_creating_accounts_is_off(
    sso: Provider, live_server, world, caplog: pytest.LogCaptureFixture
) -> None:
    sso.person("stranger", email="stranger@example.fi", groups=[HEADS_GROUP])
    caplog.set_level(logging.INFO, logger="suunta.security")
    users_before = get_user_model().objects.count()

    browser, landing = sign_in(live_server, "stranger")

    assert landing.url == f"{live_server.url}/accounts/login/"
    with translation.override("fi"):
        expected = refusal_message("unknown_person")
    assert '<html lang="fi"' in landing.text
    assert escape(expected) in landing.text
    assert signed_in_user_id(browser) is None
    assert get_user_model().objects.count() == users_before
    assert not ExternalIdentity.objects.exists()
    (event,) = logged_events(caplog, "login.oidc_refused")
    assert '"reason": "unknown_person"' in event and '"email": "stranger@example.fi"' in event


def test_id_token_signed_with_another_key_is_refused(
    sso: Provider, live_server, world, settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Suunta trusts a key set with the provider's key id but other numbers.
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso.url}/wrong-jwks.json"
    settings.SUUNTA_OIDC_CREATE_USERS = True
    sso.person("mallory", email="head@example.fi", groups=[HEADS_GROUP])
    caplog.set_level(logging.INFO, logger="suunta.security")

    browser, landing = sign_in(live_server, "mallory")

    assert landing.url == f"{live_server.url}/accounts/login/"
    with translation.override("fi"):
        assert escape(refusal_message("bad_token")) in landing.text
    assert signed_in_user_id(browser) is None
    assert not ExternalIdentity.objects.exists()
    assert set(Membership.objects.filter(user=world.head).values_list("role", flat=True)) == {Role.HEAD}
    (event,) = logged_events(caplog, "login.oidc_refused")
    assert '"reason": "bad_token"' in event


def test_inactive_person_is_refused(sso: Provider, live_server, world, caplog: pytest.LogCaptureFixture) -> None:
    closed = UserFactory(username="closed", email="closed@example.fi", is_active=False)
    MembershipFactory(user=closed, organisation=world.unit_b, role=Role.STAFF)
    sso.person("closed", email="closed@example.fi", groups=[HEADS_GROUP])
    caplog.set_level(logging.INFO, logger="suunta.security")

    browser, landing = sign_in(live_server, "closed")

    assert landing.url == f"{live_server.url}/accounts/login/"
    assert signed_in_user_id(browser) is None
    assert list(Membership.objects.filter(user=closed).values_list("role", flat=True)) == [Role.STAFF]
    assert not ExternalIdentity.objects.exists()
    (event,) = logged_events(caplog, "login.oidc_refused")
    assert '"reason": "inactive_user"' in event
