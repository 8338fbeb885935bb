"""Everyone's profile: name, email, the language of the interface and of
emails (applied at once), and whether to get the weekly reminders."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.clock import current_year
from strategy.models import PlanItem, Profile
from tests.factories import ActionFactory, AnnualPlanFactory, PlanItemFactory
from tests.strategy.plan_fixtures import last_updated

HTMX = {"HX-Request": "true"}


def profile_data(**overrides: object) -> dict[str, object]:
    return {"first_name": "Mikko", "last_name": "Heikkinen", "email": "mikko@example.fi", "language": "sv", "weekly_reminders": "on", **overrides}


@pytest.fixture
def head_client(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.head)
    return client


def test_profile_saves_name_email_and_language_and_switches_the_interface(world, head_client) -> None:
    page = head_client.get(reverse("profile"))
    assert page.status_code == 200 and 'href="/profile/"' in page.content.decode()  # the header links here
    response = head_client.post(reverse("profile"), profile_data())
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    world.head.refresh_from_db()
    assert (world.head.first_name, world.head.last_name, world.head.email) == ("Mikko", "Heikkinen", "mikko@example.fi")
    profile = Profile.objects.get(user=world.head)
    assert (profile.language, profile.weekly_reminders) == ("sv", True)
    after = head_client.get(response["Location"])
    assert '<html lang="sv">' in after.content.decode()


def test_profile_links_to_the_account_security_page(world, head_client) -> None:
    assert reverse("account-security") in head_client.get(reverse("profile")).content.decode()


def test_an_address_another_account_uses_is_refused(world, head_client) -> None:
    response = head_client.post(reverse("profile"), profile_data(email="STAFF@example.fi"), headers=HTMX)
    assert response.status_code == 422 and "Another account uses this email address" in response.content.decode()
    world.head.refresh_from_db()
    assert world.head.email == "head@example.fi"
    assert not Profile.objects.filter(user=world.head).exists()


def test_htmx_save_reloads_the_page_in_the_new_language(world, head_client) -> None:
    response = head_client.post(reverse("profile"), profile_data(language="fi"), headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("profile")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fi"


def stale_item(world) -> PlanItem:  # type: ignore[no-untyped-def]
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=current_year(world.strategy))
    item = PlanItemFactory(plan=plan, action=ActionFactory(strategy=world.strategy))
    last_updated(item, 90)
    return item


def test_reminders_skip_heads_who_turned_them_off_in_their_profile(world, head_client) -> None:
    stale_item(world)
    head_client.post(reverse("profile"), profile_data(email="head@example.fi", weekly_reminders=""))
    assert Profile.objects.get(user=world.head).weekly_reminders is False
    assert services.reminders_send() == 0
    assert not mail.outbox
    head_client.post(reverse("profile"), profile_data(email="head@example.fi"))
    assert services.reminders_send() == 1
    assert mail.outbox[0].to == ["head@example.fi"]


def test_heads_without_a_profile_still_get_reminders(world) -> None:
    stale_item(world)
    assert not Profile.objects.filter(user=world.head).exists()
    assert services.reminders_send() == 1
