"""/admin/ is for superusers only, and its login is throttled like Suunta's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "10.3.3.3"


def admin_login(client, username: str, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ADDRESS,
    )


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_staff_member_who_is_not_a_superuser_cannot_sign_in_to_the_admin(client, world) -> None:
    world.head.is_staff = True
    world.head.save()
    response = admin_login(client, "head", PASSWORD)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    assert "_auth_user_id" not in client.session


def test_signed_in_staff_member_is_sent_to_the_admin_login(client, world) -> None:
    world.head.is_staff = True
    world.head.save()
    client.force_login(world.head)
    for url in (reverse("admin:index"), reverse("admin:strategy_strategy_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    strategy_change = reverse("admin:strategy_strategy_change", args=[world.strategy.pk])
    response = client.post(strategy_change, {"title_fi": "Muutettu"})
    assert response.status_code == 302
    world.strategy.refresh_from_db()
    assert world.strategy.title == "Kulttuuristrategia"


def test_superuser_uses_the_admin(client, superuser) -> None:
    response = admin_login(client, "root", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:strategy_strategy_changelist")).status_code == 200


def test_admin_login_is_locked_out_after_three_failures(client, superuser) -> None:
    for _ in range(3):
        admin_login(client, "root", "wrong-password")
    response = admin_login(client, "root", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_admin_failures_count_towards_the_suunta_login_lockout(client, superuser) -> None:
    for _ in range(2):
        admin_login(client, "root", "wrong-password")
    client.post(reverse("login"), {"username": "root", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    response = client.post(reverse("login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429
