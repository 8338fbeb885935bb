"""One access object per request: a person's memberships are read once per
request, whatever the page asks of them, and never kept between requests."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.access import access_for
from strategy.models import AnnualPlan, Role, Strategy

from ..factories import MembershipFactory, OrganisationFactory, StrategyFactory

pytestmark = pytest.mark.django_db

MEMBERSHIP_READ = re.compile(r'FROM "strategy_membership"', re.IGNORECASE)


def membership_reads(queries: list[dict[str, str]]) -> int:
    return sum(1 for query in queries if MEMBERSHIP_READ.search(query["sql"]))


def pages(world) -> list[str]:
    slug = world.strategy.slug
    return [
        reverse("home"),
        reverse("strategy-detail", args=[slug]),
        reverse("plan-list", args=[slug]),
        reverse("my-units"),
        reverse("report-list", args=[slug]),
        reverse("indicator-list", args=[slug]),
        reverse("roadmap", args=[slug]),
    ]


@pytest.mark.parametrize("persona", ["owner", "head", "staff", "viewer"])
def test_a_page_reads_the_persons_memberships_once(client, world, persona: str) -> None:
    client.force_login(getattr(world, persona))
    for url in pages(world):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        assert membership_reads(captured.captured_queries) <= 1, (url, [
            q["sql"][:160] for q in captured.captured_queries if MEMBERSHIP_READ.search(q["sql"])
        ])


def test_outside_a_request_each_call_reads_afresh(world) -> None:
    other = OrganisationFactory(name="Toinen", slug="toinen", parent=world.city)
    strategy = StrategyFactory(organisation=other, title="Toinen", slug="toinen", status=Strategy.Status.DRAFT)
    assert not Strategy.objects.owned_by(world.head).filter(pk=strategy.pk).exists()
    MembershipFactory(user=world.head, organisation=other, role=Role.OWNER)
    assert Strategy.objects.owned_by(world.head).filter(pk=strategy.pk).exists()


def test_a_membership_changed_during_a_request_is_read_again(world) -> None:
    from strategy.access import _finish_request, _start_request

    _start_request()
    try:
        access = access_for(world.staff)
        assert access_for(world.staff) is access
        assert not access.has_role(Role.OWNER)
        MembershipFactory(user=world.staff, organisation=world.sector, role=Role.OWNER)
        assert access_for(world.staff).has_role(Role.OWNER)
    finally:
        _finish_request()
    assert access_for(world.staff) is not access_for(world.staff)


def test_access_reaches_below_not_above(world) -> None:
    access = access_for(world.head)
    assert access.reaches(world.unit_a)
    assert not access.reaches(world.unit_b)
    assert not access.reaches(world.sector)
    assert access_for(world.owner).reaches(world.unit_b, roles=(Role.OWNER,))
    assert not access_for(world.owner).reaches(world.unit_b, roles=(Role.HEAD,))
    assert AnnualPlan.objects.visible_to(world.otherhead).count() == 0
