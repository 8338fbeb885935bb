"""Refusals in the security log: every 403, and every 404 a view answers a
signed-in person, as one "access.denied" JSON line; typos are not refusals."""

from __future__ import annotations

import json
import logging

import pytest
from django.http import HttpResponseNotFound
from django.test import Client
from django.urls import resolve, reverse

from accounts.middleware_headers import AccessDeniedLogMiddleware
from strategy.models import Role
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.strategy.plan_fixtures import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="suunta.security")
    return caplog


def refusals(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    """The access.denied records, each checked to be exactly one line of JSON."""
    found = []
    for record in caplog.records:
        if record.name != "suunta.security":
            continue
        line = record.getMessage()
        assert "\n" not in line and "\r" not in line
        event = json.loads(line)
        if event["event"] == "access.denied":
            found.append(event)
    return found


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_head_of_other_unit_opening_a_draft_plan_is_logged(world: World, security_log) -> None:
    plan = make_plan(world, world.unit_a)
    url = reverse("plan-detail", args=[plan.pk])

    response = client_for(world.otherhead).get(url, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 404
    [event] = refusals(security_log)
    assert event["status"] == 404
    assert event["path"] == url and event["method"] == "GET" and event["view"] == "plan-detail"
    assert event["username"] == "otherhead" and event["user_id"] == world.otherhead.pk
    assert event["ip"] == "198.51.100.7"
    assert str(event["at"]).endswith("Z")


def test_forbidden_action_is_logged(world: World, security_log) -> None:
    """Staff may read their unit's plan but not edit its items: a 403."""
    plan = make_plan(world, world.unit_a)
    url = reverse("plan-item-edit", args=[plan.items.first().pk])

    assert client_for(world.staff).get(url).status_code == 403

    [event] = refusals(security_log)
    assert event["status"] == 403 and event["username"] == "staff" and event["view"] == "plan-item-edit"


def test_csrf_failure_is_logged_for_anonymous_people_too(db, security_log) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "someone", "password": "x"})

    assert response.status_code == 403
    [event] = refusals(security_log)
    assert event["status"] == 403 and event["user_id"] is None


def test_unknown_address_is_not_a_refusal(world: World, security_log) -> None:
    assert client_for(world.otherhead).get("/no-such-page/").status_code == 404
    assert refusals(security_log) == []


def test_seeing_ones_own_plan_is_not_logged(world: World, security_log) -> None:
    plan = make_plan(world, world.unit_a)
    assert client_for(world.head).get(reverse("plan-detail", args=[plan.pk])).status_code == 200
    assert refusals(security_log) == []


def test_newline_in_username_stays_on_one_line(world: World, security_log) -> None:
    plan = make_plan(world, world.unit_a)
    forger = UserFactory(username='mallory\n{"event": "login.success"}')
    MembershipFactory(user=forger, organisation=world.unit_b, role=Role.HEAD)
    client = client_for(forger)

    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404

    [event] = refusals(security_log)
    assert event["username"] == forger.username


def test_newline_in_path_stays_on_one_line(world: World, rf, security_log) -> None:
    """No URL pattern of Suunta lets a newline through to a view, so the
    middleware is called directly with a refused request whose path has one."""
    request = rf.get('/plans/1/%0A{"event": "login.success"}')
    request.user = world.otherhead
    request.resolver_match = resolve("/plans/1/")

    AccessDeniedLogMiddleware(lambda request: HttpResponseNotFound())(request)

    [event] = refusals(security_log)
    assert event["path"] == '/plans/1/\n{"event": "login.success"}'
