"""Server time and queries of every page a person opens, at city scale.

    PYTHONPATH=. .venv/bin/python bench/pages.py [--pairs 15] [--only indicator_list,roadmap]

Builds the data of ``bench/citydata.py`` twice in a scratch database (SQLite
in a temporary folder; PostgreSQL with ``DATABASE_URL``, in a database of its
own name): first at demo scale, where it counts each page's queries, then at
city scale (8 sectors, 120 units, 5,000 actions, 2,000 indicators over 10
years), where it counts them again and times each page against the "floor",
a minimal signed-in view behind the same middleware. Page and floor are
requested alternately (``--pairs`` times, after a warm-up), in one process
through Django's test client, with ``DEBUG`` off; the figure is the median.

One line a page::

    page_<name>_ms <median> floor_x <ratio> queries_demo <n> queries_city <n> target ≤5× floor, ≤150 ms, equal queries

A new page is one line in ``PAGES``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import citydata

FLOOR_URLCONF = "bench_floor_urls"
FLOOR_PATH = "/bench/floor/"
TARGET_RATIO = 5
TARGET_MS = 150


@dataclass(frozen=True)
class Page:
    name: str
    persona: str | None  # None: a visitor who is not signed in (the public pages)
    url: Callable[[citydata.City], str]


def _reverse(name: str, *args: Callable[[citydata.City], Any], query: str = "") -> Callable[[citydata.City], str]:
    from django.urls import reverse

    return lambda city: reverse(name, args=[arg(city) for arg in args]) + query


def slug(city: citydata.City) -> str:
    return city.slug


PAGES = [
    Page("strategy_overview", "owner", _reverse("strategy-detail", slug)),
    Page("roadmap", "owner", _reverse("roadmap", slug)),
    Page("indicator_list", "owner", _reverse("indicator-list", slug)),
    Page("indicator_page", "owner", _reverse("indicator-detail", slug, lambda c: c.indicator_id)),
    Page("plan_page", "head", _reverse("plan-detail", lambda c: c.plan_id)),
    Page("plan_list", "owner", _reverse("plan-list", slug)),
    Page("heat_map", "owner", _reverse("maturity-heatmap", slug)),
    Page("self_assessment", "head", _reverse("maturity-assess", slug, lambda c: c.round_id, lambda c: c.unit_slug)),
    Page("report_list", "owner", _reverse("report-list", slug)),
    Page("my_units", "head", _reverse("my-units")),
    Page("home", "owner", _reverse("home")),
    Page("search", "owner", _reverse("search", query="?q=kulttuuri")),
    Page("public_strategy", None, _reverse("public-strategy", lambda c: c.sector_slug, slug)),
    Page("public_indicator_list", None, _reverse("public-indicator-list", lambda c: c.sector_slug, slug)),
    Page("public_action_list", None, _reverse("public-action-list", lambda c: c.sector_slug, slug)),
]


def install_floor() -> None:
    """Serve the floor view beside the project's URLs (the bench's own URLconf)."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    if FLOOR_URLCONF in sys.modules:
        return

    @login_required
    def floor(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<!doctype html><title>floor</title><p>{request.user.get_username()}</p>")

    module = types.ModuleType(FLOOR_URLCONF)
    module.urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="bench-floor"), path("", include(settings.ROOT_URLCONF))]  # type: ignore[attr-defined]
    sys.modules[FLOOR_URLCONF] = module
    settings.ROOT_URLCONF = FLOOR_URLCONF


def plain_static_files() -> None:
    """With DEBUG off the project wants collected, hashed static files; the
    benches name them without collecting (the page's cost is the same)."""
    from django.conf import settings
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    storages._storages = {}  # type: ignore[attr-defined]
    storages._backends = None  # type: ignore[attr-defined]


def clients(city: citydata.City) -> dict[str | None, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    found: dict[str | None, Any] = {None: Client()}
    for persona, username in city.usernames.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        found[persona] = client
    return found


def get(client: Any, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(response.content)


def count_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, url)  # caches warm, as for a person who has been here before
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


def measure(pages: list[Page], city: citydata.City, pairs: int) -> dict[str, dict[str, float]]:
    users = clients(city)
    floor_client = users["owner"]
    results = {}
    for page in pages:
        client, url = users[page.persona], page.url(city)
        get(client, url), get(floor_client, FLOOR_PATH)  # warm up
        times, floors, size = [], [], 0
        for _pair in range(pairs):
            elapsed, size = get(client, url)
            times.append(elapsed)
            floors.append(get(floor_client, FLOOR_PATH)[0])
        results[page.name] = {"ms": 1000 * statistics.median(times), "floor_ms": 1000 * statistics.median(floors), "kb": size / 1024}
    return results


def queries(pages: list[Page], city: citydata.City) -> dict[str, int]:
    users = clients(city)
    return {page.name: count_queries(users[page.persona], page.url(city)) for page in pages}


def wipe() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=15, help="page/floor pairs per page (default 15)")
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p.name in args.only.split(",")]

    with citydata.temporary_folder() as folder:
        citydata.configure(Path(folder), scratch_name="suunta_bench_pages")
        import django

        django.setup()
        install_floor()
        plain_static_files()
        with citydata.scratch_database():
            from django.db import connection

            started = time.perf_counter()
            demo = citydata.build(citydata.DEMO)
            demo_queries = queries(pages, demo)
            wipe()
            city = citydata.build(citydata.CITY)
            print(f"Data built in {time.perf_counter() - started:.0f} s on {connection.vendor}: {citydata.CITY.describe()}")
            city_queries = queries(pages, city)
            timings = measure(pages, city, args.pairs)
    met = True
    for page in pages:
        t = timings[page.name]
        ratio = t["ms"] / t["floor_ms"]
        ok = ratio <= TARGET_RATIO and t["ms"] <= TARGET_MS and demo_queries[page.name] == city_queries[page.name]
        met = met and ok
        print(
            f"page_{page.name}_ms {t['ms']:.0f} floor_x {ratio:.1f} queries_demo {demo_queries[page.name]} "
            f"queries_city {city_queries[page.name]} target ≤{TARGET_RATIO}× floor, ≤{TARGET_MS} ms, equal queries"
            f"{'' if ok else '  NOT MET'}  ({t['kb']:.0f} kB, floor {t['floor_ms']:.1f} ms)"
        )
    print(f"pages_target_met {'yes' if met else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
