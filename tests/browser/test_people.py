"""An owner invites a person and gives them a role in Chromium; the invitee
chooses a password through the emailed link. The tree, people, invite,
profile and set-password pages pass axe in Finnish and in Swedish."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from strategy.models import Membership, Role

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_language(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_owner_invites_a_person_and_gives_a_role(page, login, login_by_form, world, live_server) -> None:  # type: ignore[no-untyped-def]
    login(page, "owner")
    page.goto("/")
    page.locator("main").get_by_role("link", name=re.compile("Organisaatio|Organisation")).first.click()
    expect(page).to_have_url(re.compile(r"/organisations/kulttuuri/$"))
    expect(page.locator("#organisation-tree")).to_contain_text("Kirjasto")

    page.locator(".strategy-nav a[href$='/people/invite/']").click()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Berg")
    page.fill("#id_email", "anna.berg@example.fi")
    page.select_option("#id_organisation", str(world.unit_a.pk))
    page.select_option("#id_role", Role.STAFF)
    page.fill("#id_title", "Bibliotekarie")
    page.select_option("#id_language", "sv")
    page.locator("form [type='submit']").last.click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.locator("#person-roles")).to_contain_text("Kirjasto")
    assert_accessible(page)

    # A second role, swapped in place by htmx.
    page.select_option("#id_organisation", str(world.unit_b.pk))
    page.select_option("#id_role", Role.VIEWER)
    page.locator("#person-roles form.stack [type='submit']").click()
    expect(page.locator("#person-roles .message--success")).to_be_visible()
    expect(page.locator("#person-roles .role-list")).to_contain_text("Museo")
    assert_accessible(page)
    assert Membership.objects.filter(user__email="anna.berg@example.fi").count() == 2

    # The invitee chooses a password through the link and signs in.
    [message] = mail.outbox
    link = re.search(r"/invitation/\S+/", message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/set-password/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    assert_accessible(page)
    page.fill("#id_new_password1", "Kirjat-ja-kahvi-42")
    page.fill("#id_new_password2", "Kirjat-ja-kahvi-42")
    with page.expect_navigation():
        page.locator("main form [type='submit']").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    username = Membership.objects.filter(user__email="anna.berg@example.fi").first().user.username
    login_by_form(page, username, "Kirjat-ja-kahvi-42")
    expect(page.locator(".site-header")).to_contain_text("Kirjasto")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_management_pages_pass_axe(page, login, world, language: str) -> None:  # type: ignore[no-untyped-def]
    login(page, "owner")
    page.goto("/")
    switch_language(page, language)
    for url in (
        f"/organisations/{world.sector.slug}/",
        f"/organisations/{world.sector.slug}/people/",
        f"/organisations/{world.sector.slug}/people/invite/",
        f"/organisations/{world.sector.slug}/new/",
        f"/organisations/{world.unit_a.slug}/move/",
        f"/organisations/{world.service_area.slug}/dissolve/",
        f"/organisations/{world.sector.slug}/people/{world.staff.pk}/",
        "/profile/",
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)
    # Forms returned with errors (htmx swaps them in place).
    page.goto(f"/organisations/{world.sector.slug}/people/invite/")
    page.locator("main form [type='submit']").click()
    expect(page.locator("main .form-errors")).to_be_visible()
    assert_accessible(page)
    # The set-password page, also when the link is no good.
    page.context.clear_cookies()
    page.goto("/invitation/MQ/abc-def/")
    expect(page.locator("main [role='alert']")).to_be_visible()
    assert_accessible(page)


def test_profile_switches_the_interface_language(page, login, world) -> None:  # type: ignore[no-untyped-def]
    login(page, "head")
    page.goto("/")
    page.locator(".site-header a[href='/profile/']").click()
    page.select_option("#id_language", "sv")
    page.locator("#id_weekly_reminders").uncheck()
    page.locator("main form[action='/profile/'] [type='submit']").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".messages")).to_be_visible()
    assert_accessible(page)
    world.head.refresh_from_db()
    assert world.head.suunta_profile.language == "sv"
    assert world.head.suunta_profile.weekly_reminders is False
