"""``strategy_visible`` answers from the access object what
``Strategy.objects.visible_to`` answers with a query, for every person and
strategy; the views' lookup by slug follows it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from strategy.models import Membership, Role, Strategy
from strategy.models.strategy import strategy_visible
from tests.factories import OrganisationFactory, StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategies(world) -> list[Strategy]:
    other_sector = OrganisationFactory(name="Sivistys", parent=world.city)
    return [
        world.strategy,
        StrategyFactory(organisation=world.unit_a, parent=world.strategy, slug="kirjasto", status=Strategy.Status.DRAFT),
        StrategyFactory(organisation=world.service_area, slug="alue", status=Strategy.Status.DRAFT),
        StrategyFactory(organisation=world.city, slug="kaupunki", status=Strategy.Status.DRAFT),
        StrategyFactory(organisation=other_sector, slug="sivistys", status=Strategy.Status.DRAFT),
        StrategyFactory(organisation=other_sector, slug="vanha", status=Strategy.Status.ARCHIVED),
    ]


def test_strategy_visible_agrees_with_visible_to(world, strategies: list[Strategy]) -> None:
    city_owner = get_user_model().objects.create(username="kaupunki")
    Membership.objects.create(user=city_owner, organisation=world.city, role=Role.OWNER)
    nobody = get_user_model().objects.create(username="kukaan")
    admin = get_user_model().objects.create(username="yllapito", is_superuser=True)
    people = [world.owner, world.head, world.staff, world.otherhead, world.viewer, city_owner, nobody, admin, AnonymousUser()]
    for strategy in Strategy.objects.select_related("organisation"):
        for person in people:
            expected = Strategy.objects.visible_to(person).filter(pk=strategy.pk).exists()
            assert strategy_visible(person, strategy) == expected, (person, strategy.slug)


def test_a_draft_the_person_may_not_see_is_not_found(world, strategies: list[Strategy]) -> None:
    head, otherhead = Client(), Client()
    head.force_login(world.head)
    otherhead.force_login(world.otherhead)
    url = reverse("strategy-detail", args=["kirjasto"])
    assert head.get(url).status_code == 200
    assert otherhead.get(url).status_code == 404
    assert otherhead.get(reverse("strategy-detail", args=["vanha"])).status_code == 200
    assert otherhead.get(reverse("strategy-detail", args=["ei-ole"])).status_code == 404
