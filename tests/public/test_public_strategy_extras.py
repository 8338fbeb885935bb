"""The public strategy page's reports and contacts are cached by the
reports' and the people's stamps: a published report, an owner who chooses
to be named and a renamed owner show at once, however they are written."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reports.models import Report
from strategy.models import Membership, Profile

from .test_public_pages import published as published
from .test_public_pages import strategy_url

pytestmark = pytest.mark.django_db


def _page(strategy) -> str:
    response = Client().get(strategy_url(strategy))
    assert response.status_code == 200
    return response.content.decode()


def test_reports_and_contacts_show_at_once(world, published) -> None:
    assert 'id="reports"' not in _page(published) and 'id="contacts"' not in _page(published)

    report = Report.objects.create(strategy=published, year=2024, language="fi", status=Report.Status.DONE, file="r.pdf")
    assert 'id="reports"' not in _page(published)
    Report.objects.filter(pk=report.pk).update(published=True)
    assert 'id="reports"' in _page(published)

    get_user_model().objects.filter(pk=world.owner.pk).update(first_name="Olli", last_name="Omistaja")
    Profile.objects.update_or_create(user=world.owner, defaults={"public": True})
    assert "Olli Omistaja" in _page(published)
    get_user_model().objects.filter(pk=world.owner.pk).update(last_name="Virtanen")
    assert "Olli Virtanen" in _page(published)
    Membership.objects.filter(user=world.owner).delete()
    assert "Olli Virtanen" not in _page(published)


def test_a_second_visit_asks_two_queries(published) -> None:
    _page(published)
    with CaptureQueriesContext(connection) as queries:
        _page(published)
    # The published strategy and its approved version with every stamp.
    assert len(queries) == 2
