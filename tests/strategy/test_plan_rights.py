"""``plan_rights`` answers from the access object exactly what the plan
querysets answer with a query, for every person and plan."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy import access
from strategy.models import AnnualPlan, Membership, Role, plan_rights
from tests.factories import AnnualPlanFactory, OrganisationFactory, StrategyFactory

from .plan_fixtures import Plans, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_plan_rights_agree_with_the_querysets(world, plans: Plans) -> None:
    # A plan of another sector's strategy, and people in between and above.
    other_sector = OrganisationFactory(name="Sivistys", parent=world.city)
    other_unit = OrganisationFactory(name="Koulu", parent=other_sector)
    other = AnnualPlanFactory(strategy=StrategyFactory(organisation=other_sector, slug="sivistys"), unit=other_unit, year=plans.library.year)
    city_owner = get_user_model().objects.create(username="kaupunki")
    Membership.objects.create(user=city_owner, organisation=world.city, role=Role.OWNER)
    area_head = get_user_model().objects.create(username="alue")
    Membership.objects.create(user=area_head, organisation=world.service_area, role=Role.HEAD)
    admin = get_user_model().objects.create(username="yllapito", is_superuser=True)
    people = [world.owner, world.head, world.staff, world.otherhead, world.viewer, city_owner, area_head, admin, AnonymousUser()]
    for plan in AnnualPlan.objects.select_related("unit", "strategy__organisation"):
        one = AnnualPlan.objects.filter(pk=plan.pk)
        for person in people:
            expected = (one.editable_by(person).exists(), one.commentable_by(person).exists(), one.approvable_by(person).exists())
            assert plan_rights(person, plan) == expected, (person, plan)
    assert other.pk


def test_plan_rights_ask_no_query_once_the_memberships_are_read(world, plans: Plans) -> None:
    plan = AnnualPlan.objects.select_related("unit", "strategy__organisation").get(pk=plans.library.pk)
    access._start_request()  # one access object per request, as in a view
    try:
        plan_rights(world.head, plan)
        with CaptureQueriesContext(connection) as queries:
            assert plan_rights(world.head, plan) == (True, True, False)
        assert len(queries) == 0
    finally:
        access._finish_request()
