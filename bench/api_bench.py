"""Benchmark of the REST API's plan list at city scale.

    .venv/bin/python bench/api_bench.py [--units 30,120] [--years 3] [--items 20]

Builds a throw-away SQLite database with one city, sectors of 15 units each
with a strategy, an annual plan per unit and year and ``--items`` items per
plan; a city-level owner reads ``GET /api/v1/plans/`` with a personal token
(the largest page, then every page). The data grows from the first number of
units to the next; the queries per request must stay the same.

Prints one figure per line:

    api_plan_list_units_30_queries 7
    api_plan_list_units_30_first_page_seconds 0.051
    api_plan_list_units_30_all_pages_seconds 0.072
    ...
    api_plan_list_queries_constant yes (target: yes)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

UNITS_PER_SECTOR = 15
FIRST_YEAR = 2024


def setup_django(var_dir: Path) -> None:
    os.environ["SUUNTA_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def grow_to(units: int, *, years: int, items: int) -> None:
    """Add sectors (15 units each, with a strategy, plans and items) until the city has ``units`` units."""
    from django.db import transaction

    from strategy.models import Action, AnnualPlan, Organisation, PlanItem, Strategy

    city = Organisation.objects.get(slug="bench-city")
    statuses = [
        value for value, _label in PlanItem.Status.choices if value != PlanItem.Status.NOT_STARTED
    ]
    with transaction.atomic():
        while Organisation.objects.units().count() < units:
            s = Organisation.objects.filter(kind=Organisation.Kind.SECTOR).count()
            sector = Organisation.objects.create(
                name_fi=f"Toimiala {s + 1}",
                slug=f"sector-{s}",
                kind=Organisation.Kind.SECTOR,
                parent=city,
            )
            strategy = Strategy.objects.create(
                organisation=sector,
                title_fi=f"Toimialan {s + 1} strategia",
                slug=f"strategy-{s}",
                period_start=FIRST_YEAR,
                period_end=FIRST_YEAR + years - 1,
                status=Strategy.Status.APPROVED,
            )
            actions = Action.objects.bulk_create(
                Action(strategy=strategy, title_fi=f"Toimenpide {n + 1}", order=n)
                for n in range(items)
            )
            for u in range(min(UNITS_PER_SECTOR, units - Organisation.objects.units().count())):
                unit = Organisation.objects.create(
                    name_fi=f"Yksikkö {s + 1}.{u + 1}",
                    slug=f"unit-{s}-{u}",
                    kind=Organisation.Kind.UNIT,
                    parent=sector,
                )
                plans = AnnualPlan.objects.bulk_create(
                    AnnualPlan(
                        strategy=strategy,
                        unit=unit,
                        year=FIRST_YEAR + y,
                        status=AnnualPlan.Status.APPROVED,
                    )
                    for y in range(years)
                )
                PlanItem.objects.bulk_create(
                    PlanItem(
                        plan=plan,
                        action=action,
                        status=statuses[n % len(statuses)],
                        progress=(n * 7) % 100,
                    )
                    for plan in plans
                    for n, action in enumerate(actions)
                )


def measure(client: object, units: int) -> dict[str, float]:
    """Queries of one page request, the largest page's time and every page's time (best of three)."""
    from django.conf import settings
    from django.db import connection

    url = f"/api/v1/plans/?page_size={settings.SUUNTA_API_MAX_PAGE_SIZE}"
    client.get(url)  # type: ignore[attr-defined]  # warm up
    # Counted at execution (the request cycle resets and closes the query log).
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, response.content
    count = response.json()["count"]
    first, every = [], []
    for _ in range(3):
        started = time.perf_counter()
        client.get(url)  # type: ignore[attr-defined]
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        next_url: str | None = url
        while next_url:
            next_url = client.get(next_url).json()["next"]  # type: ignore[attr-defined]
        every.append(time.perf_counter() - started)
    return {
        "queries": len(queries),
        "plans": count,
        "first_page_s": min(first),
        "all_pages_s": min(every),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--units", default="30,120", help="Sizes to measure at, in units (default 30,120)."
    )
    parser.add_argument("--years", type=int, default=3, help="Plans per unit (one a year).")
    parser.add_argument("--items", type=int, default=20, help="Items per plan.")
    args = parser.parse_args()
    sizes = [int(size) for size in args.units.split(",")]

    var_dir = Path(tempfile.mkdtemp(prefix="suunta-api-bench-"))
    try:
        setup_django(var_dir)
        from django.core.management import call_command
        from django.test.utils import setup_test_environment
        from rest_framework.test import APIClient

        from api.services import api_token_create
        from strategy.models import Membership, Organisation, Role

        setup_test_environment()  # the test client's host name and no outgoing mail
        call_command("migrate", verbosity=0)
        from django.conf import settings

        # Timed like production: no query log, no rate limit in the way.
        settings.DEBUG = False
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
        from rest_framework.settings import api_settings

        api_settings.reload()

        from django.contrib.auth import get_user_model

        city = Organisation.objects.create(
            name_fi="Benchmarkkaupunki", slug="bench-city", kind=Organisation.Kind.CITY
        )
        owner = get_user_model().objects.create_user("bench-owner")
        Membership.objects.create(user=owner, organisation=city, role=Role.OWNER)
        _token, secret = api_token_create(user=owner, name="bench", valid_days=None)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

        results = {}
        for units in sizes:
            started = time.perf_counter()
            grow_to(units, years=args.years, items=args.items)
            built = time.perf_counter() - started
            result = measure(client, units)
            results[units] = result
            print(
                f"# {units} units: {result['plans']} plans of {args.items} items (data built in {built:.1f} s)"
            )
            print(f"api_plan_list_units_{units}_queries {result['queries']}")
            print(f"api_plan_list_units_{units}_first_page_seconds {result['first_page_s']:.3f}")
            print(f"api_plan_list_units_{units}_all_pages_seconds {result['all_pages_s']:.3f}")
        constant = len({result["queries"] for result in results.values()}) == 1
        print(f"api_plan_list_queries_constant {'yes' if constant else 'NO'} (target: yes)")
        if not constant:
            sys.exit(1)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
