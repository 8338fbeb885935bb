"""Who may do what with an annual plan: every plan and item URL and every method."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import AnnualPlan, PlanComment, PlanItem, ProgressUpdate
from tests.factories import PASSWORD

from .plan_fixtures import Plans, plans_fixture  # noqa: F401

METHODS = ["get", "post", "put", "patch", "delete"]


def plan_urls(plan: AnnualPlan, item: PlanItem) -> list[tuple[str, dict[str, str], set[str]]]:
    """(url, POST data that would succeed for an allowed user, allowed methods)."""
    edit = {"quick": "1", "version": str(item.version), "status": "delayed", "progress": "10"}
    return [
        (reverse("plan-detail", args=[plan.pk]), {}, {"get"}),
        (reverse("plan-print", args=[plan.pk]), {}, {"get"}),
        (reverse("plan-export-xlsx", args=[plan.pk]), {}, {"get"}),
        (reverse("plan-submit", args=[plan.pk]), {}, {"post"}),
        (reverse("plan-approve", args=[plan.pk]), {}, {"post"}),
        (reverse("plan-return", args=[plan.pk]), {"comment": "Lisää budjetti"}, {"post"}),
        (reverse("plan-item-edit", args=[item.pk]), edit, {"get", "post"}),
        (reverse("plan-item-history", args=[item.pk]), {}, {"get"}),
        (reverse("plan-item-comment", args=[item.pk]), {"text": "Hyvä"}, {"get", "post"}),
    ]


def snapshot() -> tuple[object, ...]:
    """Everything a plan request could change."""
    return (
        list(AnnualPlan.objects.order_by("pk").values()),
        list(PlanItem.objects.order_by("pk").values()),
        ProgressUpdate.objects.count(),
        PlanComment.objects.count(),
        PlanItem.history.count(),
        AnnualPlan.history.count(),
    )


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("htmx", [False, True])
def test_head_of_other_unit_gets_404_for_everything_of_the_library_plan(world, plans: Plans, htmx: bool) -> None:
    client = client_for("otherhead")
    headers = {"HX-Request": "true"} if htmx else {}
    before = snapshot()
    for url, data, allowed in plan_urls(plans.library, plans.items[0]):
        for method in METHODS:
            response = getattr(client, method)(url, data if method == "post" else None, headers=headers)
            expected = 404 if method in allowed else 405
            assert response.status_code == expected, (method, url, response.status_code)
    assert snapshot() == before


def test_anonymous_user_is_sent_to_login_and_nothing_changes(world, plans: Plans) -> None:
    before = snapshot()
    for url, data, allowed in plan_urls(plans.library, plans.items[0]):
        for method in allowed:
            response = getattr(Client(), method)(url, data)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert snapshot() == before


def test_staff_reads_and_comments_but_cannot_edit_or_decide(world, plans: Plans) -> None:
    client = client_for("staff")
    item = plans.items[0]
    for url, _data, allowed in plan_urls(plans.library, item):
        if "get" in allowed and "edit" not in url:
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("plan-item-edit", args=[item.pk])).status_code == 403
    before = snapshot()
    for url, data, allowed in plan_urls(plans.library, item):
        if "post" in allowed and "comments" not in url:
            assert client.post(url, data).status_code == 403, url
    assert snapshot() == before
    response = client.post(reverse("plan-item-comment", args=[item.pk]), {"text": "Voisimmeko aloittaa jo keväällä?"})
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert comment.author == world.staff and comment.item == item


def test_viewer_sees_only_approved_plans(world, plans: Plans) -> None:
    client = client_for("viewer")
    detail = reverse("plan-detail", args=[plans.library.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("plan-item-history", args=[plans.items[0].pk])).status_code == 404
    listing = client.get(reverse("plan-list", args=[world.strategy.slug]))
    assert "Kirjasto" not in listing.content.decode()
    AnnualPlan.objects.filter(pk=plans.library.pk).update(status=AnnualPlan.Status.APPROVED)
    assert client.get(detail).status_code == 200
    assert "Kirjasto" in client.get(reverse("plan-list", args=[world.strategy.slug])).content.decode()
    before = snapshot()
    for url, data, allowed in plan_urls(plans.library, plans.items[0]):
        if "post" in allowed:
            assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("plan-item-edit", args=[plans.items[0].pk])).status_code == 403
    assert snapshot() == before


def test_head_edits_own_units_plan_and_owner_decides(world, plans: Plans) -> None:
    head, owner = client_for("head"), client_for("owner")
    item = plans.items[0]
    assert head.get(reverse("plan-item-edit", args=[item.pk])).status_code == 200
    response = head.post(
        reverse("plan-item-edit", args=[item.pk]), {"quick": "1", "version": "1", "status": "on_track", "progress": "20"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress, item.updated_by) == ("on_track", 20, world.head)
    # A head does not approve their own plan.
    assert head.post(reverse("plan-submit", args=[plans.library.pk])).status_code == 302
    assert head.post(reverse("plan-approve", args=[plans.library.pk])).status_code == 403
    assert owner.post(reverse("plan-approve", args=[plans.library.pk])).status_code == 302
    plans.library.refresh_from_db()
    assert plans.library.status == AnnualPlan.Status.APPROVED and plans.library.approved_by == world.owner


def test_other_head_cannot_create_a_plan_for_the_library(world, plans: Plans) -> None:
    AnnualPlan.objects.all().delete()
    client = client_for("otherhead")
    url = reverse("plan-create", args=[world.strategy.slug])
    response = client.post(url, {"unit": world.unit_a.pk, "year": 2026, "actions": [plans.items[0].action_id]})
    assert response.status_code == 200  # the form refuses the unit it does not offer
    assert "unit" in response.context["form"].errors
    assert not AnnualPlan.objects.exists()
    assert client_for("staff").get(url).status_code == 403
    assert client_for("viewer").get(url).status_code == 403
