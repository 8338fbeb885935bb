"""The versions list, the changes page and the overview take a fixed number
of queries, however many parts the strategy has."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import Goal, Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, every_part

from .test_versions_approve import approve, edit_goal, owner_client

pytestmark = pytest.mark.django_db

# Fixed costs: session and user, memberships for the header, the strategy,
# its snapshot (a query per kind of part and per link table, about 23) and the
# page's own. The owner's overview compares the working copy with the latest
# version; an outside reader's renders the version's snapshot instead.
VERSION_LIST_QUERIES = 32
CHANGES_QUERIES = 31
CHANGES_BETWEEN_VERSIONS_QUERIES = 7
OWNER_OVERVIEW_QUERIES = 67
READER_OVERVIEW_QUERIES = 45


@pytest.mark.parametrize("copies", [1, 6])
def test_query_counts_do_not_grow_with_the_parts(world, django_assert_max_num_queries, copies: int) -> None:
    every_part(world.strategy, copies=copies)
    owner = owner_client(world)
    approve(owner, world.strategy)
    edit_goal(owner, world.strategy, Goal.objects.order_by("pk").first(), "Muutos")
    approve(owner, world.strategy, approved_on="2023-01-01")
    edit_goal(owner, world.strategy, Goal.objects.order_by("pk").last(), "Toinen muutos")
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, organisation=OrganisationFactory(kind=Organisation.Kind.CITY), role=Role.VIEWER)
    reader = Client()
    reader.force_login(outsider)
    slug = world.strategy.slug

    with django_assert_max_num_queries(VERSION_LIST_QUERIES):
        assert owner.get(reverse("version-list", args=[slug])).status_code == 200
    with django_assert_max_num_queries(CHANGES_QUERIES):
        assert owner.get(reverse("version-changes", args=[slug, 1])).status_code == 200
    with django_assert_max_num_queries(CHANGES_BETWEEN_VERSIONS_QUERIES):
        assert owner.get(reverse("version-changes", args=[slug, 2]) + "?previous=1").status_code == 200
    with django_assert_max_num_queries(OWNER_OVERVIEW_QUERIES):
        page = owner.get(reverse("strategy-detail", args=[slug]))
        assert "Draft changes since the approved version 2" in page.content.decode()
    with django_assert_max_num_queries(READER_OVERVIEW_QUERIES):
        page = reader.get(reverse("strategy-detail", args=[slug]))
        assert "Toinen muutos" not in page.content.decode()
