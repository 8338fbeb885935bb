"""The strategy owner closes and reopens a year of plans from the plan list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import (
    AnnualPlan,
    Organisation,
    PlanComment,
    PlanItem,
    ProgressUpdate,
    Role,
    Strategy,
)
from strategy.views.plans import current_year
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
)

from .plan_fixtures import Plans, make_plan, plans_fixture  # noqa: F401


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def close_url(strategy: Strategy, year: int) -> str:
    return reverse("plan-year-close", args=[strategy.slug, year])


def reopen_url(strategy: Strategy, year: int) -> str:
    return reverse("plan-year-reopen", args=[strategy.slug, year])


def snapshot() -> tuple[object, ...]:
    return (
        list(AnnualPlan.objects.order_by("pk").values()),
        list(PlanItem.objects.order_by("pk").values()),
        ProgressUpdate.objects.count(),
        PlanComment.objects.count(),
        PlanItem.history.count(),
        AnnualPlan.history.count(),
    )


def test_owner_confirms_and_closes_every_plan_of_the_year(world, plans: Plans) -> None:
    year = current_year(world.strategy)
    other_year = make_plan(world, world.unit_a, year=year - 1)
    owner = client_for("owner")
    page = owner.get(
        reverse("plan-list", args=[world.strategy.slug]) + f"?year={year}"
    ).content.decode()
    assert f'action="{close_url(world.strategy, year)}"' in page

    # The first POST only asks for confirmation, with the warning, and changes nothing.
    before = snapshot()
    response = owner.post(close_url(world.strategy, year))
    assert response.status_code == 200
    body = response.content.decode()
    assert "read-only" in body and "including progress" in body and 'name="confirm"' in body
    assert snapshot() == before

    response = owner.post(close_url(world.strategy, year), {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?year={year}")
    body = response.content.decode()
    assert "Year closed" in body and "2 plans are now read-only" in body
    assert f'action="{reopen_url(world.strategy, year)}"' in body
    assert set(
        AnnualPlan.objects.filter(strategy=world.strategy, year=year).values_list(
            "is_closed", flat=True
        )
    ) == {True}
    other_year.refresh_from_db()
    assert not other_year.is_closed


def test_closing_leaves_exactly_one_history_row_per_plan_with_the_owner(
    world, plans: Plans
) -> None:
    year = current_year(world.strategy)
    before = {plan.pk: plan.history.count() for plan in (plans.library, plans.museum)}
    client_for("owner").post(close_url(world.strategy, year), {"confirm": "1"})
    for plan in (plans.library, plans.museum):
        assert plan.history.count() == before[plan.pk] + 1
        latest = plan.history.latest()
        assert latest.is_closed and latest.history_user == world.owner
    # Closing again changes nothing and writes no history.
    client_for("owner").post(close_url(world.strategy, year), {"confirm": "1"})
    assert {plan.pk: plan.history.count() for plan in (plans.library, plans.museum)} == {
        pk: count + 1 for pk, count in before.items()
    }


def test_closed_year_refuses_item_edits_and_the_db_is_unchanged(world, plans: Plans) -> None:
    year = current_year(world.strategy)
    client_for("owner").post(close_url(world.strategy, year), {"confirm": "1"})
    head = client_for("head")
    item = plans.items[0]
    before = snapshot()
    edit = {"quick": "1", "version": str(item.version), "status": "done", "progress": "100"}
    assert head.post(reverse("plan-item-edit", args=[item.pk]), edit).status_code == 403
    assert (
        head.post(
            reverse("plan-item-edit", args=[item.pk]), edit, HTTP_HX_REQUEST="true"
        ).status_code
        == 403
    )
    assert head.post(reverse("plan-item-comment", args=[item.pk]), {"text": "x"}).status_code == 403
    with pytest.raises(services.PlanLockedError):
        services.plan_item_update(
            item=item, user=world.head, expected_version=item.version, data={"progress": 50}
        )
    assert snapshot() == before


def test_reopen_makes_the_year_editable_again(world, plans: Plans) -> None:
    year = current_year(world.strategy)
    owner = client_for("owner")
    owner.post(close_url(world.strategy, year), {"confirm": "1"})
    history = AnnualPlan.history.count()
    response = owner.post(reopen_url(world.strategy, year), follow=True)
    body = response.content.decode()
    assert "2 plans can be updated" in body and "Year closed" not in body
    assert not AnnualPlan.objects.filter(
        strategy=world.strategy, year=year, is_closed=True
    ).exists()
    assert AnnualPlan.history.count() == history + 2
    item = plans.items[0]
    edit = {"quick": "1", "version": str(item.version), "status": "delayed", "progress": "10"}
    assert (
        client_for("head").post(reverse("plan-item-edit", args=[item.pk]), edit).status_code == 302
    )
    item.refresh_from_db()
    assert item.progress == 10


@pytest.mark.parametrize("username", ["head", "staff", "viewer", "otherhead"])
@pytest.mark.parametrize("name", ["plan-year-close", "plan-year-reopen"])
def test_members_who_do_not_own_the_strategy_get_403_and_nothing_changes(
    world, plans: Plans, username: str, name: str
) -> None:
    year = current_year(world.strategy)
    if name == "plan-year-reopen":
        AnnualPlan.objects.filter(strategy=world.strategy).update(is_closed=True)
    before = snapshot()
    client = client_for(username)
    assert (
        client.post(reverse(name, args=[world.strategy.slug, year]), {"confirm": "1"}).status_code
        == 403
    )
    assert snapshot() == before
    page = client.get(
        reverse("plan-list", args=[world.strategy.slug]) + f"?year={year}"
    ).content.decode()
    assert reverse(name, args=[world.strategy.slug, year]) not in page


def test_service_refuses_a_user_who_does_not_own_the_strategy(world, plans: Plans) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.plan_year_close(
            strategy=world.strategy, year=current_year(world.strategy), user=world.head
        )
    assert snapshot() == before


def test_users_who_cannot_see_the_strategy_get_404(world, plans: Plans) -> None:
    """A draft strategy of another sector: its head and the culture owner cannot see it."""
    other_sector = OrganisationFactory(kind=Organisation.Kind.SECTOR, parent=world.city)
    other_unit = OrganisationFactory(parent=other_sector)
    draft = StrategyFactory(organisation=other_sector, status=Strategy.Status.DRAFT)
    year = current_year(draft)
    plan = AnnualPlan.objects.create(strategy=draft, unit=other_unit, year=year)
    MembershipFactory(
        user=UserFactory(username="sectorowner"), organisation=other_sector, role=Role.OWNER
    )
    before = snapshot()
    for username in ("owner", "otherhead", "head"):
        client = client_for(username)
        assert client.post(close_url(draft, year), {"confirm": "1"}).status_code == 404
        assert client.post(reopen_url(draft, year)).status_code == 404
    assert snapshot() == before
    # Its own owner closes it; the culture strategy's plans stay open.
    assert (
        client_for("sectorowner").post(close_url(draft, year), {"confirm": "1"}).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.is_closed
    assert not AnnualPlan.objects.filter(strategy=world.strategy, is_closed=True).exists()


@pytest.mark.parametrize("name", ["plan-year-close", "plan-year-reopen"])
def test_get_is_405_and_changes_nothing(world, plans: Plans, name: str) -> None:
    before = snapshot()
    response = client_for("owner").get(
        reverse(name, args=[world.strategy.slug, current_year(world.strategy)])
    )
    assert response.status_code == 405
    assert snapshot() == before


def test_anonymous_user_is_sent_to_login(world, plans: Plans) -> None:
    before = snapshot()
    response = Client().post(
        close_url(world.strategy, current_year(world.strategy)), {"confirm": "1"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert snapshot() == before


def test_year_outside_the_strategy_is_404(world, plans: Plans) -> None:
    assert (
        client_for("owner").post(close_url(world.strategy, 2040), {"confirm": "1"}).status_code
        == 404
    )
