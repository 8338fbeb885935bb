"""Load benchmark: gunicorn on loopback, 40 signed-in people at once, city scale.

    PYTHONPATH=. .venv/bin/python bench/load.py [--seconds 60] [--people 40]

Builds the city-scale data of ``bench/citydata.py`` in a scratch database
(SQLite in a temporary folder; PostgreSQL with ``DATABASE_URL``, in a database
of its own name), signs the people in up front (each may read every page the
page bench times and edit one item of the same 40-item plan), starts gunicorn
with ``config/gunicorn.conf.py`` (the production settings: workers and
threads sized for the machine, ``DEBUG`` off) on a free loopback port, and
for ``--seconds`` lets every person in turn:

- read a page (80 %): one of ``bench/pages.py``'s pages, at random, or
- save a plan item (20 %): open the item's form, then post the quick form
  (status and progress) with its CSRF token and version, as the page does.

With ``--think`` a person waits that many seconds on average (exponentially
distributed) between requests; by default they do not wait at all, so the
figures show the server saturated: p95 is then about 40 ÷ throughput.

One more client opens the floor page (a minimal signed-in view) every 0.2 s
meanwhile. The clients are threads with keep-alive ``http.client``
connections. It prints throughput, p50/p95/p99 and errors, and the floor's
p50/p95. Target on PostgreSQL: 0 errors, p95 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import citydata  # noqa: E402
import pages  # noqa: E402

TARGET_P95_S = 1.0
READ_SHARE = 0.8
FLOOR_EVERY_S = 0.2
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


# --- the app gunicorn serves: the project plus the floor view ----------------------------

_app: Any = None
_app_lock = threading.Lock()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """The WSGI app for gunicorn (``load:application``): Suunta with the floor view."""
    global _app
    if _app is None:
        with _app_lock:
            if _app is None:
                from django.core.wsgi import get_wsgi_application

                app = get_wsgi_application()
                pages.install_floor()
                pages.plain_static_files()
                _app = app
    return _app(environ, start_response)


# --- the clients ---------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # "read", "save" or "floor"
    name: str
    seconds: float
    ok: bool
    status: int


@dataclass
class Person:
    session: str
    item_id: int
    csrf: str = ""
    record_after: float = 0.0  # requests that start during the warm-up are not counted
    samples: list[Sample] = field(default_factory=list)

    def record(self, started: float, sample: Sample) -> None:
        if started >= self.record_after:
            self.samples.append(sample)


class Browser:
    """One keep-alive connection with a person's cookies."""

    def __init__(self, port: int, person: Person) -> None:
        self.port, self.person = port, person
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        cookies = f"sessionid={self.person.session}" + (f"; csrftoken={self.person.csrf}" if self.person.csrf else "")
        headers = {"Cookie": cookies, "Host": "127.0.0.1"}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"}
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()  # the server closed a kept-alive connection: once more
                if attempt:
                    return 0, "", time.perf_counter() - started
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.person.csrf = value.split(";", 1)[0].split("=", 1)[1]
        return response.status, text, elapsed


def read(browser: Browser, name: str, path: str) -> None:
    started = time.perf_counter()
    status, _text, elapsed = browser.request("GET", path)
    browser.person.record(started, Sample("read", name, elapsed, status == 200, status))


def save(browser: Browser, rng: random.Random) -> None:
    """Open the item's form, then post the quick form as the plan page does."""
    from urllib.parse import urlencode

    from django.urls import reverse

    path = reverse("plan-item-edit", args=[browser.person.item_id])
    started = time.perf_counter()
    status, text, elapsed = browser.request("GET", path)
    browser.person.record(started, Sample("read", "plan_item_form", elapsed, status == 200, status))
    csrf, version = _CSRF.search(text), _VERSION.search(text)
    if status != 200 or not csrf or not version:
        browser.person.record(started, Sample("save", "plan_item_save", 0.0, False, status))
        return
    body = urlencode({
        "csrfmiddlewaretoken": csrf.group(1), "version": version.group(1), "quick": "1",
        "status": rng.choice(["on_track", "at_risk", "delayed"]), "progress": str(rng.randint(0, 100)),
    })
    status, _text, elapsed = browser.request("POST", path, body)
    browser.person.record(started, Sample("save", "plan_item_save", elapsed, status == 302, status))


def person_loop(port: int, person: Person, urls: list[tuple[str, str]], deadline: float, seed: int, think: float) -> None:
    rng = random.Random(seed)
    browser = Browser(port, person)
    while time.perf_counter() < deadline:
        if rng.random() < READ_SHARE:
            read(browser, *rng.choice(urls))
        else:
            save(browser, rng)
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(deadline - time.perf_counter(), 0)))


def floor_loop(port: int, person: Person, deadline: float) -> None:
    browser = Browser(port, person)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, _text, elapsed = browser.request("GET", pages.FLOOR_PATH)
        person.record(started, Sample("floor", "floor", elapsed, status == 200, status))
        time.sleep(FLOOR_EVERY_S)


# --- set-up and report ---------------------------------------------------------------------


def sign_in(usernames: list[str]) -> list[str]:
    """A session per person, made as signing in makes it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    sessions = []
    for username in usernames:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        sessions.append(client.cookies["sessionid"].value)
    return sessions


def people_for(city: citydata.City, count: int) -> list[str]:
    """Heads of the plan's unit who are also owners of its strategy, so that
    every page of the mix is theirs to open."""
    from strategy.models import Membership, Organisation, Role

    usernames = citydata.extra_people(count, unit_slug=city.unit_slug)
    sector = Organisation.objects.get(slug=city.sector_slug)
    Membership.objects.bulk_create(
        Membership(user_id=m.user_id, organisation=sector, role=Role.OWNER)
        for m in Membership.objects.filter(user__username__in=usernames).only("user_id")
    )
    return usernames


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(port), "GUNICORN_ACCESS_LOG": "", "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--pythonpath", str(ROOT / "bench"), "load:application",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.1)
    raise SystemExit("gunicorn did not open its port")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(samples: list[Sample], seconds: float, people: int, vendor: str) -> bool:
    work = [s for s in samples if s.kind != "floor"]
    floor = [s.seconds for s in samples if s.kind == "floor"]
    times = [s.seconds for s in work]
    errors = [s for s in samples if not s.ok]
    p95 = percentile(times, 0.95)
    print(f"load_database {vendor}")
    print(f"load_people {people}, each sending the next request as soon as the last is answered unless --think")
    print(f"load_requests {len(work)} in {seconds:.0f} s")
    print(f"load_throughput_per_s {len(work) / seconds:.1f}")
    print(f"load_p50_s {percentile(times, 0.5):.3f}")
    print(f"load_p95_s {p95:.3f} (target <= {TARGET_P95_S:.0f} s on PostgreSQL)")
    print(f"load_p99_s {percentile(times, 0.99):.3f}")
    print(f"load_errors {len(errors)} (target 0){'  ' + str(sorted({(s.name, s.status) for s in errors})[:8]) if errors else ''}")
    print(f"load_floor_p50_s {percentile(floor, 0.5):.3f} ({len(floor)} requests, one every {FLOOR_EVERY_S} s after the last)")
    print(f"load_floor_p95_s {percentile(floor, 0.95):.3f}")
    for name in sorted({s.name for s in work}):
        mine = [s.seconds for s in work if s.name == name]
        print(f"  {name}: {len(mine)} requests, p50 {statistics.median(mine):.3f} s, p95 {percentile(mine, 0.95):.3f} s")
    met = not errors and p95 <= TARGET_P95_S
    print(f"load_target_met {'yes' if met else 'no'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument(
        "--think", type=float, default=0, help="mean seconds a person waits between requests (default 0: back to back)"
    )
    parser.add_argument("--warmup", type=float, default=15, help="seconds of load before measuring (workers start lazily)")
    args = parser.parse_args()
    with citydata.temporary_folder() as folder:
        citydata.configure(Path(folder), scratch_name="suunta_bench_load")
        import django

        django.setup()
        pages.install_floor()
        pages.plain_static_files()
        with citydata.scratch_database() as database_url:
            from django.db import connection

            started = time.perf_counter()
            city = citydata.build(citydata.CITY)
            usernames = people_for(city, args.people)
            people = [Person(session, city.item_ids[n % len(city.item_ids)]) for n, session in enumerate(sign_in(usernames))]
            floor_person = Person(sign_in([city.usernames["owner"]])[0], 0)
            urls = [(page.name, page.url(city)) for page in pages.PAGES]
            print(f"Data built and {args.people} people signed in in {time.perf_counter() - started:.0f} s on {connection.vendor}")
            connection.close()  # the server's workers share the database from here on
            port = free_port()
            server = start_gunicorn(port, database_url)
            try:
                began = time.perf_counter() + args.warmup
                deadline = began + args.seconds
                for person in [*people, floor_person]:
                    person.record_after = began
                threads = [
                    threading.Thread(target=person_loop, args=(port, person, urls, deadline, n, args.think)) for n, person in enumerate(people)
                ]
                threads.append(threading.Thread(target=floor_loop, args=(port, floor_person, deadline)))
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - began
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            samples = [s for person in [*people, floor_person] for s in person.samples]
            report(samples, elapsed, args.people, connection.vendor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
