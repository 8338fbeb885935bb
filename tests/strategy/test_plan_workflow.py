"""Approval flow and the locks it brings; creating a plan; validation; export and print."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from strategy import services
from strategy.models import AnnualPlan, PlanItem
from tests.factories import PASSWORD, ActionFactory

from .plan_fixtures import Plans, plans_fixture  # noqa: F401


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_submit_return_with_comment_resubmit_approve(world, plans: Plans) -> None:
    head, owner = logged_in("head"), logged_in("owner")
    plan = plans.library
    assert head.post(reverse("plan-submit", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.submitted_at
    # A return needs a comment.
    response = owner.post(reverse("plan-return", args=[plan.pk]), {"comment": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert AnnualPlan.objects.get(pk=plan.pk).status == "submitted"
    owner.post(reverse("plan-return", args=[plan.pk]), {"comment": "Lisää lasten lukuhetket"})
    plan.refresh_from_db()
    assert plan.status == "returned"
    page = head.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "Lisää lasten lukuhetket" in page
    # Returned: editable again, plan fields too.
    item = plans.items[0]
    services.plan_item_update(item=item, user=world.head, expected_version=1, data={"schedule": "Syksy"})
    assert head.post(reverse("plan-submit", args=[plan.pk]), headers={"HX-Request": "true"}).status_code == 200
    response = owner.post(reverse("plan-approve", args=[plan.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Approved" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.owner


def test_approved_plan_accepts_only_progress_updates(world, plans: Plans) -> None:
    plan = plans.library
    services.plan_submit(plan=plan, user=world.head)
    services.plan_approve(plan=plan, user=world.owner)
    item = plans.items[0]
    with pytest.raises(services.PlanLockedError):
        services.plan_item_update(item=item, user=world.head, expected_version=1, data={"budget": 1000})
    item.refresh_from_db()
    assert item.budget is None and item.version == 1
    services.plan_item_update(item=item, user=world.head, expected_version=1, data={"status": "on_track", "progress": 50})
    # Through the full form the plan's fields are disabled: a posted budget is ignored.
    head = logged_in("head")
    url = reverse("plan-item-edit", args=[item.pk])
    assert "disabled" in head.get(url).content.decode()
    response = head.post(url, {"version": "2", "status": "at_risk", "progress": "55", "budget": "999", "description": "x"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress, item.budget, item.description) == ("at_risk", 55, None, "")
    # An approved plan is not submitted again.
    with pytest.raises(services.PlanLockedError):
        services.plan_submit(plan=plan, user=world.head)


def test_closed_year_is_read_only(world, plans: Plans) -> None:
    AnnualPlan.objects.filter(pk=plans.library.pk).update(is_closed=True)
    head = logged_in("head")
    item = plans.items[0]
    before = list(PlanItem.objects.values())
    assert head.get(reverse("plan-item-edit", args=[item.pk])).status_code == 403
    response = head.post(reverse("plan-item-edit", args=[item.pk]), {"quick": "1", "version": "1", "status": "done", "progress": "100"})
    assert response.status_code == 403
    assert head.post(reverse("plan-item-comment", args=[item.pk]), {"text": "x"}).status_code == 403
    head.post(reverse("plan-submit", args=[plans.library.pk]))
    assert list(PlanItem.objects.values()) == before
    assert AnnualPlan.objects.get(pk=plans.library.pk).status == "draft"
    page = head.get(reverse("plan-detail", args=[plans.library.pk])).content.decode()
    assert "read-only" in page and 'name="quick"' not in page


def test_invalid_input_is_shown_next_to_the_field(world, plans: Plans) -> None:
    head = logged_in("head")
    item = plans.items[0]
    url = reverse("plan-item-edit", args=[item.pk])
    response = head.post(url, {"quick": "1", "version": "1", "status": "on_track", "progress": "140"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="item-{item.pk}"' in body and "errorlist" in body
    response = head.post(url, {"quick": "1", "version": "1", "status": "not_started", "progress": "20"})
    assert response.status_code == 422
    assert "has not started" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == ("not_started", 0, 1)


def test_htmx_save_returns_the_row_and_the_rollup_out_of_band(world, plans: Plans) -> None:
    head = logged_in("head")
    item = plans.items[0]
    response = head.post(
        reverse("plan-item-edit", args=[item.pk]),
        {"quick": "1", "version": "1", "status": "done", "progress": "100"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert 'id="plan-rollup"' in body and 'hx-swap-oob="true"' in body
    assert "Progress 33 %" in body


def test_head_creates_a_plan_with_chosen_actions(world, plans: Plans) -> None:
    AnnualPlan.objects.filter(unit=world.unit_a).delete()
    head = logged_in("head")
    url = reverse("plan-create", args=[world.strategy.slug])
    area = plans.areas[0]
    page = head.get(url, {"focus_area": area.pk})
    offered = {a.pk for a in page.context["filtered_actions"]}
    assert offered and all(a.focus_area_id == area.pk for a in page.context["filtered_actions"])
    chosen = sorted(offered)[:2]
    response = head.post(url, {"unit": world.unit_a.pk, "year": 2026, "actions": chosen, "deadline": "2026-01-31"})
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(unit=world.unit_a, year=2026)
    assert sorted(plan.items.values_list("action_id", flat=True)) == chosen
    assert plan.status == "draft"
    # A second plan for the same unit and year is refused next to the field.
    again = head.post(url, {"unit": world.unit_a.pk, "year": 2026, "actions": chosen})
    assert "year" in again.context["form"].errors


def test_export_and_print(world, plans: Plans) -> None:
    staff = logged_in("staff")
    response = staff.get(reverse("plan-export-xlsx", args=[plans.library.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    titles = [row[2] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(titles) == sorted(item.action.title for item in plans.items)
    page = staff.get(reverse("plan-print", args=[plans.library.pk])).content.decode()
    assert all(item.action.title in page for item in plans.items)


def test_action_of_another_strategy_is_not_added(world, plans: Plans) -> None:
    foreign = ActionFactory()
    plan = services.plan_create(
        strategy=world.strategy, unit=world.unit_b, year=2023, actions=[foreign], user=world.otherhead
    )
    assert not plan.items.exists()
