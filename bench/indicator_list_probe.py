"""Time the signed-in indicator list at city scale (about 250 indicators over
ten years), and the public one, with a fresh SQLite database.

    python bench/indicator_list_probe.py [--indicators 250] [--runs 7]

Prints the median server time, the HTML size and the query count of the
first page, the last page and a list filtered by status.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="indicator-list-probe-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/probe.sqlite3"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from indicators.models import Indicator, Measurement, Target
    from strategy.models import Membership, Organisation, Perspective, Role, Strategy

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    city = Organisation.objects.create(name="City", slug="city", kind=Organisation.Kind.CITY)
    sector = Organisation.objects.create(name="Sector", slug="sector", kind=Organisation.Kind.SECTOR, parent=city)
    units = [Organisation.objects.create(name=f"Unit {i}", slug=f"unit-{i}", parent=sector) for i in range(6)]
    strategy = Strategy.objects.create(
        organisation=sector, title="Strategy", slug="probe", period_start=2021, period_end=2030, status=Strategy.Status.APPROVED
    )
    owner = get_user_model().objects.create_user("owner", "owner@example.fi", "x")
    Membership.objects.create(user=owner, organisation=sector, role=Role.OWNER)
    perspectives = [Perspective.objects.create(strategy=strategy, name=f"Perspective {i}", order=i) for i in range(4)]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            strategy=strategy,
            name=f"Indicator {i}",
            perspective=perspectives[i % 4],
            baseline_year=2020,
            baseline_value=Decimal(100),
            order=i,
        )
        for i in range(args.indicators)
    )
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, year=year, unit=unit, value=Decimal(100 + (year - 2020) * (3 + n % 5)))
        for n, indicator in enumerate(indicators)
        for year in range(2021, 2031)
        for unit in [None, *units[: n % 3]]
    )
    Target.objects.bulk_create(
        Target(indicator=indicator, year=year, value=Decimal(100 + (year - 2020) * 4))
        for indicator in indicators
        for year in range(2021, 2031)
    )
    client = Client()
    client.force_login(owner)
    url = reverse("indicator-list", args=[strategy.slug])
    client.get(url)  # the first request after signing in renews the session
    for label, page_url in (
        ("list", url),
        ("list, last page", f"{url}?page=last"),
        ("list, by status (judges every indicator)", f"{url}?status=achieved"),
    ):
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(page_url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get(page_url)
        size = len(response.content)
        print(
            f"{label}: {args.indicators} indicators, median {statistics.median(timings) * 1000:.0f} ms "
            f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}), {size / 1024:.0f} kB, {len(captured)} queries"
        )


if __name__ == "__main__":
    main()
