"""PATCH /api/v1/plan-items/<id>/: the weekly update through the plan page's service."""

from __future__ import annotations

import pytest

from strategy.models import AnnualPlan, PlanItem, ProgressUpdate

pytestmark = pytest.mark.django_db


def url(item: PlanItem) -> str:
    return f"/api/v1/plan-items/{item.pk}/"


def test_head_updates_status_progress_and_note_with_history(api_world, as_persona):
    item = api_world.item_a
    response = as_persona("head").patch(
        url(item),
        {"version": 1, "status": "on_track", "progress": 40, "note": "Hyvä alku"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["progress"] == 40
    item.refresh_from_db()
    assert (item.status, item.progress, item.updated_by) == ("on_track", 40, api_world.world.head)
    update = ProgressUpdate.objects.get(item=item)
    assert (update.text, update.author) == ("Hyvä alku", api_world.world.head)
    assert item.history.latest().history_user == api_world.world.head


def test_owner_may_update_any_plan_of_the_strategy(api_world, as_persona):
    response = as_persona("owner").patch(
        url(api_world.item_b), {"version": 1, "progress": 10, "status": "on_track"}, format="json"
    )
    assert response.status_code == 200


def test_stale_version_gets_409_with_current_values_and_changes_nothing(api_world, as_persona):
    item = api_world.item_a
    client = as_persona("head")
    assert (
        client.patch(
            url(item), {"version": 1, "status": "on_track", "progress": 20}, format="json"
        ).status_code
        == 200
    )
    stale = client.patch(
        url(item),
        {"version": 1, "status": "delayed", "progress": 5, "note": "myöhässä"},
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"]
    assert (body["current"]["version"], body["current"]["status"], body["current"]["progress"]) == (
        2,
        "on_track",
        20,
    )
    item.refresh_from_db()
    assert (item.version, item.status, item.progress) == (2, "on_track", 20)
    assert ProgressUpdate.objects.filter(item=item).count() == 1


def test_staff_who_sees_the_plan_gets_403(api_world, as_persona):
    response = as_persona("staff").patch(
        url(api_world.item_a), {"version": 1, "progress": 10, "status": "on_track"}, format="json"
    )
    assert response.status_code == 403
    assert PlanItem.objects.get(pk=api_world.item_a.pk).version == 1


def test_viewer_who_sees_an_approved_plan_gets_403(api_world, as_persona):
    response = as_persona("viewer").patch(
        url(api_world.item_b), {"version": 1, "progress": 10, "status": "on_track"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["otherhead", "viewer"])
def test_those_who_cannot_see_a_draft_plan_get_404(api_world, as_persona, persona):
    response = as_persona(persona).patch(
        url(api_world.item_a), {"version": 1, "progress": 10}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_gets_401(api_world, as_persona):
    assert (
        as_persona("anonymous")
        .patch(url(api_world.item_a), {"version": 1}, format="json")
        .status_code
        == 401
    )


def test_closed_year_refuses_updates_with_403(api_world, as_persona):
    AnnualPlan.objects.filter(pk=api_world.plan_a.pk).update(is_closed=True)
    response = as_persona("head").patch(
        url(api_world.item_a), {"version": 1, "progress": 10, "status": "on_track"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert PlanItem.objects.get(pk=api_world.item_a.pk).version == 1


def test_approved_plan_still_takes_status_and_progress_as_on_the_page(api_world, as_persona):
    response = as_persona("otherhead").patch(
        url(api_world.item_b), {"version": 1, "status": "done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["progress"] == 100  # done counts as 100 %, as on the page


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"version": 1, "progress": 140}, "progress"),
        ({"version": 1, "status": "finished"}, "status"),
        ({"progress": 10}, "version"),
        ({"version": 1, "status": "not_started", "progress": 30}, "progress"),  # the page's rule
    ],
)
def test_invalid_input_gets_400_with_field_messages_and_changes_nothing(
    api_world, as_persona, sent, field
):
    response = as_persona("head").patch(url(api_world.item_a), sent, format="json")
    assert response.status_code == 400
    assert response.json()[field]
    item = PlanItem.objects.get(pk=api_world.item_a.pk)
    assert (item.version, item.progress) == (1, 0)
    assert not ProgressUpdate.objects.filter(item=item).exists()


def test_errors_come_in_the_persons_language(api_world, as_persona):
    from strategy.models import Profile

    Profile.objects.create(user=api_world.world.head, language="sv")
    response = as_persona("head").patch(
        url(api_world.item_a), {"version": 1, "progress": 140}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "sv"
    english = as_persona("staff").patch(
        url(api_world.item_a), {"version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english["Content-Language"] == "en"
