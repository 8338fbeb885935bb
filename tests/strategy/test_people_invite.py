"""Owners invite people by email: a new account without a usable password,
a one-time link in the invitee's language to choose one, and the role. An
address that already has an account gets the role, not a second account."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy import services_people as services
from strategy.models import Membership, Profile, Role
from tests.factories import UserFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner_client(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.owner)
    return client


def invite(client: Client, world, **overrides: str) -> object:  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna.berg@example.fi",
        "organisation": str(world.unit_a.pk),
        "role": Role.STAFF,
        "title": "Bibliotekarie",
        "language": "sv",
        **overrides,
    }
    return client.post(reverse("person-invite", args=[world.sector.slug]), data)


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/invitation/\S+/", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def security_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]


def test_invitation_email_in_the_invitees_language_leads_to_a_password_and_a_sign_in(world, owner_client, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = invite(owner_client, world)
    assert response.status_code == 302
    person = get_user_model().objects.get(email="anna.berg@example.fi")
    assert (person.first_name, person.last_name, person.is_active) == ("Anna", "Berg", True)
    assert not person.has_usable_password()
    assert Profile.objects.get(user=person).language == "sv"
    membership = Membership.objects.get(user=person)
    assert (membership.organisation, membership.role, membership.title) == (world.unit_a, "staff", "Bibliotekarie")
    assert membership.history.get().history_user == world.owner
    event = next(e for e in security_events(caplog) if e["event"] == "people.invite")
    assert (event["username"], event["target"], event["organisation"], event["role"]) == (
        "owner", person.username, "kirjasto", "staff"
    )

    [message] = mail.outbox
    assert message.to == ["anna.berg@example.fi"]
    with translation.override("sv"):
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Anna Berg"}
        role = str(Role.STAFF.label)
    assert greeting == "Hej Anna Berg," and role != "Staff member"  # the compiled catalogue is Swedish
    assert greeting in message.body and role in message.body
    link = link_in(message)

    visitor = Client()
    landing = visitor.get(link)
    assert landing.status_code == 302 and landing["Location"].endswith("/set-password/")  # the token leaves the address
    form = visitor.get(landing["Location"])
    assert form.status_code == 200 and person.username in form.content.decode()
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        saved = visitor.post(landing["Location"], {"new_password1": "Kirjat-ja-kahvi-42", "new_password2": "Kirjat-ja-kahvi-42"})
    assert saved.status_code == 302 and saved["Location"] == reverse("login")
    assert any(e["event"] == "people.password_set" for e in security_events(caplog))
    assert Client().login(username=person.username, password="Kirjat-ja-kahvi-42")

    # The link works once.
    again = Client().get(link, follow=True)
    assert "already been used or has expired" in again.content.decode()


def test_invitation_body_is_written_in_the_invitees_language(world, owner_client) -> None:
    invite(owner_client, world, language="sv")
    invite(owner_client, world, email="eino@example.fi", first_name="Eino", language="en")
    swedish, english = mail.outbox
    assert "Eino" in english.body and "has invited you to Suunta" in english.body
    with translation.override("sv"):
        expected = translation.gettext("You have been invited to Suunta")
    assert swedish.subject == expected


def test_expired_and_invalid_links_are_refused_with_a_clear_message(world, owner_client, monkeypatch, settings) -> None:
    invite(owner_client, world)
    link = link_in(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than that
    expired = Client().get(link, follow=True)
    assert "already been used or has expired" in expired.content.decode()
    assert 'name="new_password1"' not in expired.content.decode()
    settings.PASSWORD_RESET_TIMEOUT = 3 * 86400
    tampered = link.rstrip("/")[:-3] + "abc/"
    assert "already been used or has expired" in Client().get(tampered, follow=True).content.decode()
    assert "already been used or has expired" in Client().get("/invitation/MTIzNDU/abc-def/").content.decode()
    # A password-reset token is no invitation token.
    from django.contrib.auth.tokens import default_token_generator

    person = get_user_model().objects.get(email="anna.berg@example.fi")
    uid = link.split("/")[2]
    reset = f"/invitation/{uid}/{default_token_generator.make_token(person)}/"
    assert "already been used or has expired" in Client().get(reset, follow=True).content.decode()
    # The right link still works.
    assert Client().get(link)["Location"].endswith("/set-password/")


def test_a_deactivated_person_cannot_use_their_invitation(world, owner_client) -> None:
    invite(owner_client, world)
    get_user_model().objects.filter(email="anna.berg@example.fi").update(is_active=False)
    page = Client().get(link_in(mail.outbox[0]), follow=True).content.decode()
    assert "already been used or has expired" in page


def test_reinviting_an_existing_address_adds_the_role_and_sends_a_notice(world, owner_client, caplog) -> None:
    UserFactory(username="mikko", email="Mikko.Heikkinen@example.fi", first_name="Mikko")
    users = get_user_model().objects.count()
    with caplog.at_level(logging.INFO, logger="suunta.security"):
        response = invite(owner_client, world, email="mikko.heikkinen@example.fi", role=Role.VIEWER, language="fi")
    assert response.status_code == 302
    assert get_user_model().objects.count() == users
    person = get_user_model().objects.get(username="mikko")
    assert person.has_usable_password()
    assert Membership.objects.filter(user=person, organisation=world.unit_a, role="viewer").exists()
    [notice] = mail.outbox
    assert "/invitation/" not in notice.body and "mikko" in notice.body
    assert {e["event"] for e in security_events(caplog)} >= {"people.invite", "people.role_added"}


def test_reinviting_someone_who_never_signed_in_sends_a_fresh_link(world, owner_client) -> None:
    invite(owner_client, world)
    invite(owner_client, world, organisation=str(world.unit_b.pk))
    assert get_user_model().objects.filter(email="anna.berg@example.fi").count() == 1
    first, second = mail.outbox
    assert "/invitation/" in first.body and "/invitation/" in second.body
    assert Membership.objects.filter(user__email="anna.berg@example.fi").count() == 2


def test_reinviting_a_deactivated_person_with_roles_elsewhere_is_refused(world, owner_client) -> None:
    from tests.factories import MembershipFactory, OrganisationFactory

    person = UserFactory(username="lahti", email="lahti@example.fi", is_active=False)
    MembershipFactory(user=person, organisation=OrganisationFactory(name="Lahden museot"), role=Role.STAFF)
    response = invite(owner_client, world, email="lahti@example.fi")
    assert response.status_code == 409 and "deactivated" in response.content.decode()
    assert not Membership.objects.filter(user=person, organisation=world.unit_a).exists()
    assert not get_user_model().objects.get(pk=person.pk).is_active
    assert not mail.outbox


def test_invite_form_errors_come_back_in_place_for_htmx(world, owner_client) -> None:
    url = reverse("person-invite", args=[world.sector.slug])
    response = owner_client.post(url, {"email": "not-an-address", "role": "staff"}, headers=HTMX)
    assert response.status_code == 422 and "<html" not in response.content.decode()
    assert not mail.outbox
    ok = owner_client.post(
        url,
        {"first_name": "A", "last_name": "B", "email": "ab@example.fi", "organisation": world.sector.pk, "role": "viewer", "language": "fi"},
        headers=HTMX,
    )
    assert ok.status_code == 200 and "/people/" in ok["HX-Redirect"]


def test_roles_can_only_be_given_at_or_below_the_page_node(world, owner_client) -> None:
    response = invite(owner_client, world, organisation=str(world.city.pk))
    assert response.status_code == 422
    assert not get_user_model().objects.filter(email="anna.berg@example.fi").exists()


def test_the_token_generator_has_its_own_salt(world) -> None:
    from django.contrib.auth.tokens import default_token_generator

    token = services.invitation_token.make_token(world.head)
    assert services.invitation_token.check_token(world.head, token)
    assert not default_token_generator.check_token(world.head, token)
