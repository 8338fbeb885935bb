"""The report list is kept in the fragment cache by what it shows and by the
reader's reach; a report the worker finished, another reader and another
language all get what they should, and its forms carry the reader's own
CSRF token."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report
from strategy.fragments import data_stamp, stamp_parts
from strategy.models import Goal, Organisation, PlanItem
from tests.factories import (
    AnnualPlanFactory,
    OrganisationFactory,
    PlanItemFactory,
    csrf_token_in,
    signed_in,
)

pytestmark = pytest.mark.django_db



def _list(client: Client, world, **query: str) -> str:
    response = client.get(reverse("report-list", args=[world.strategy.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def _report(world, **fields: object) -> Report:
    return Report.objects.create(strategy=world.strategy, year=2024, language="fi", requested_by=world.owner, **fields)


def test_a_second_visit_is_read_from_the_cache(world) -> None:
    _report(world)
    owner = signed_in(world.owner, csrf_checks=True)
    first = _list(owner, world)
    with CaptureQueriesContext(connection) as queries:
        again = _list(owner, world)
    # The session, the user, the memberships, the strategy and the stamps.
    assert len(queries) == 5
    assert again.count('<tr id="report-') == first.count('<tr id="report-') == 1


def test_any_change_to_a_report_renews_the_stamp_and_shows_at_once(world) -> None:
    report = _report(world)
    owner = signed_in(world.owner, csrf_checks=True)
    assert "badge--done" not in _list(owner, world)
    before = stamp_parts([], data_stamp("reports"))[-1]
    # As the worker writes it: a queryset update, no signals.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, sha256="ab" * 32)
    assert stamp_parts([], data_stamp("reports"))[-1] != before
    page = _list(owner, world)
    assert "badge--done" in page and "ab" * 32 in page


def test_each_reader_sees_the_reports_and_the_form_of_their_reach(world) -> None:
    _report(world, unit=world.unit_a)
    _report(world, unit=world.unit_b)
    owner, head = signed_in(world.owner, csrf_checks=True), signed_in(world.head, csrf_checks=True)
    order = reverse("report-order", args=[world.strategy.slug])
    owners, heads = _list(owner, world), _list(head, world)
    assert owners.count('<tr id="report-') == 2 and order in owners
    assert heads.count('<tr id="report-') == 1 and "Museo" not in heads.split('id="reports-heading"')[1]


def test_the_language_asked_for_gets_its_own_note(world) -> None:
    Goal.objects.create(strategy=world.strategy, title_fi="Vain suomeksi", title_sv="", title_en="", direction="increase")
    owner = signed_in(world.owner, csrf_checks=True)
    swedish = _list(owner, world, language="sv")
    english = _list(owner, world, language="en")
    assert "not in Swedish" in swedish and "not in English" in english


def test_render_again_posts_with_the_reader_s_own_token(world) -> None:
    report = _report(world)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error="Virhe")
    owner = signed_in(world.owner, csrf_checks=True)
    _list(owner, world)
    page = _list(owner, world)
    token = csrf_token_in(page, 'class="report-again"')
    response = owner.post(reverse("report-reorder", args=[world.strategy.slug, report.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Report.objects.filter(strategy=world.strategy).count() == 2


def _not_in_swedish(page: str) -> int:
    return sum(int(count) for count in re.findall(r"(\d+) texts? (?:is|are) not in Swedish", page))


def test_a_units_first_plan_counts_its_name_in_the_language_note_at_once(world) -> None:
    owner = signed_in(world.owner)
    before = _not_in_swedish(_list(owner, world, language="sv"))
    youth = OrganisationFactory(name="Nuorisotila", slug="nuorisotila", parent=world.unit_a.parent)
    Organisation.objects.filter(pk=youth.pk).update(name_fi="Nuorisotila", name_sv="", name_en="")
    assert _not_in_swedish(_list(owner, world, language="sv")) == before  # no plan: not in the report
    AnnualPlanFactory(strategy=world.strategy, unit=youth, year=2025)
    assert _not_in_swedish(_list(owner, world, language="sv")) == before + 1


def test_a_saved_status_reads_the_list_from_the_cache(world) -> None:
    item = PlanItemFactory(plan=AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025))
    owner = signed_in(world.owner)
    first = _list(owner, world)
    PlanItem.objects.filter(pk=item.pk).update(status=PlanItem.Status.DELAYED, progress=40)
    with CaptureQueriesContext(connection) as queries:
        again = _list(owner, world)
    assert len(queries) == 5  # as in test_a_second_visit_is_read_from_the_cache: nothing rendered
    assert again.count('<tr id="report-') == first.count('<tr id="report-')
