"""The strategy lookup of every view lives beside the strategy queryset."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from strategy.models import Strategy
from strategy.models.strategy import get_strategy_for_user
from strategy.views import overview
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


def test_views_import_the_lookup_that_lives_beside_the_queryset() -> None:
    assert overview.get_strategy_for_user is get_strategy_for_user


def test_lookup_finds_a_visible_strategy_and_hides_an_unseen_draft(world) -> None:
    draft = StrategyFactory(slug="luonnos", status=Strategy.Status.DRAFT)
    request = RequestFactory().get("/")
    request.user = world.otherhead
    assert get_strategy_for_user(request, world.strategy.slug) == world.strategy
    with pytest.raises(Http404):
        get_strategy_for_user(request, draft.slug)
