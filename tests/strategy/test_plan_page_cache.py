"""The plan page is kept in the fragment cache by what it shows and by what
the reader may do; whatever changes what it shows, however it is written,
shows at once, and its forms carry the reader's own CSRF token."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import clock
from strategy.models import AnnualPlan, PlanItem, Strategy
from tests.factories import csrf_token_in, signed_in

from .plan_fixtures import Plans, plans_fixture  # noqa: F401

pytestmark = pytest.mark.django_db



def _page(client: Client, plan: AnnualPlan) -> str:
    response = client.get(reverse("plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_is_read_from_the_cache(world, plans: Plans) -> None:
    head = signed_in(world.head, csrf_checks=True)
    first = _page(head, plans.library)
    with CaptureQueriesContext(connection) as queries:
        again = _page(head, plans.library)
    # The session, the user, the memberships and the plan with its stamps.
    assert len(queries) == 4
    assert again.count('<tr id="item-') == first.count('<tr id="item-') == 3


def test_writes_without_signals_show_at_once(world, plans: Plans) -> None:
    head = signed_in(world.head, csrf_checks=True)
    _page(head, plans.library)

    AnnualPlan.objects.filter(pk=plans.library.pk).update(status=AnnualPlan.Status.APPROVED, approved_by=world.owner, approved_at=clock.now())
    assert "Approved by owner" in _page(head, plans.library)

    get_user_model().objects.filter(pk=world.owner.pk).update(first_name="Olli", last_name="Omistaja")
    assert "Approved by Olli Omistaja" in _page(head, plans.library)

    Strategy.objects.filter(pk=world.strategy.pk).update(title="Uusi nimi", title_fi="Uusi nimi")
    assert "Uusi nimi" in _page(head, plans.library)

    def rollup(page: str) -> str:
        return page[page.index('id="plan-rollup"') : page.index('id="plan-body"')]

    before = rollup(_page(head, plans.library))
    PlanItem.objects.filter(plan=plans.library).update(status=PlanItem.Status.DELAYED)
    after = rollup(_page(head, plans.library))
    assert after != before and "badge--delayed" in after


def test_each_reader_gets_the_tools_they_may_use_with_their_own_token(world, plans: Plans) -> None:
    head, staff, owner = signed_in(world.head, csrf_checks=True), signed_in(world.staff, csrf_checks=True), signed_in(world.owner, csrf_checks=True)
    submit = reverse("plan-submit", args=[plans.library.pk])
    assert submit in _page(head, plans.library)
    assert submit not in _page(staff, plans.library)

    page = _page(head, plans.library)
    token = csrf_token_in(page, 'id="plan-status"')
    response = head.post(submit, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert AnnualPlan.objects.get(pk=plans.library.pk).status == AnnualPlan.Status.SUBMITTED
    # The owner now sees the approval, the head no longer the submit button.
    assert reverse("plan-approve", args=[plans.library.pk]) in _page(owner, plans.library)
    assert 'id="plan-submit-button"' not in _page(head, plans.library)


def test_a_new_day_marks_a_passed_deadline(world, plans: Plans) -> None:
    import datetime

    head = signed_in(world.head, csrf_checks=True)
    deadline = clock.today() + datetime.timedelta(days=1)
    AnnualPlan.objects.filter(pk=plans.library.pk).update(deadline=deadline)
    assert "(overdue)" not in _page(head, plans.library)
    with clock.fixed(deadline + datetime.timedelta(days=1)):
        assert "(overdue)" in _page(head, plans.library)


def test_the_items_fragment_is_answered_from_the_data(world, plans: Plans) -> None:
    head = signed_in(world.head, csrf_checks=True)
    _page(head, plans.library)
    response = head.get(reverse("plan-detail", args=[plans.library.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="plan-body"') and "<html" not in fragment
