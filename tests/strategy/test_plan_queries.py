"""The plan page's query count does not grow with the number of items."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import clock
from strategy.models import Action, PlanComment, PlanItem
from strategy.views.plans import current_year
from tests.factories import PASSWORD, AnnualPlanFactory, FocusAreaFactory


def make_plan(world, n: int, year: int):  # type: ignore[no-untyped-def]
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=year)
    areas = [FocusAreaFactory(strategy=world.strategy) for _ in range(3)]
    actions = Action.objects.bulk_create(
        Action(strategy=world.strategy, focus_area=areas[i % 3], title_fi=f"Toimenpide {i}") for i in range(n)
    )
    items = PlanItem.objects.bulk_create(
        PlanItem(plan=plan, action=action, status="on_track", progress=i % 100, updated_by=world.head, order=i)
        for i, action in enumerate(actions)
    )
    PlanComment.objects.bulk_create(PlanComment(item=item, author=world.staff, text="ok") for item in items[::5])
    return plan


def count_queries(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


def test_plan_page_query_count_is_the_same_for_10_and_300_items(world, django_assert_max_num_queries) -> None:
    small, large = make_plan(world, 10, 2024), make_plan(world, 300, 2025)
    client = Client()
    client.login(username="head", password=PASSWORD)
    client.get(reverse("plan-detail", args=[small.pk]))  # warm the session
    counts, cached = {}, {}
    for plan in (small, large):
        # Built from the data (the page, not its rows: cached rows are read in one query either way) …
        caches["template_fragments"].clear()
        counts[plan.items.count()] = count_queries(client, reverse("plan-detail", args=[plan.pk]))
        # … and read back from the cache.
        cached[plan.items.count()] = count_queries(client, reverse("plan-detail", args=[plan.pk]))
    assert counts[10] == counts[300], counts
    assert cached[10] == cached[300] < counts[10], cached
    with django_assert_max_num_queries(counts[10]):
        client.get(reverse("plan-detail", args=[large.pk]))
    print(f"plan page queries: {counts}, from the cache {cached}")


def test_unit_table_and_my_units_query_counts_do_not_grow(world) -> None:
    client = Client()
    client.login(username="head", password=PASSWORD)
    # A session's first request settles its second factor and activity once.
    client.get(reverse("home"))
    # My units shows the strategy's current year by the clock: plans of that year.
    year = current_year(world.strategy)
    head_plan = make_plan(world, 5, year)
    few = (count_queries(client, reverse("plan-list", args=[world.strategy.slug]) + f"?year={year}"), count_queries(client, reverse("my-units")))
    for unit in (world.unit_b,):
        plan = AnnualPlanFactory(strategy=world.strategy, unit=unit, year=year)
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, action=action) for action in Action.objects.all()[:50]
        )
    # Thirty more of the head's own items, stale: My units lists them.
    stale_actions = Action.objects.bulk_create(Action(strategy=world.strategy, title_fi=f"Vanha {i}") for i in range(30))
    long_ago = clock.now() - datetime.timedelta(days=100)
    PlanItem.objects.bulk_create(PlanItem(plan=head_plan, action=action, created_at=long_ago) for action in stale_actions)
    many = (count_queries(client, reverse("plan-list", args=[world.strategy.slug]) + f"?year={year}"), count_queries(client, reverse("my-units")))
    assert few == many
    page = client.get(reverse("my-units")).content.decode()
    stale = page[page.index('id="stale-heading"') :]
    assert stale.count('<th scope="row"><a href=') == 30
