"""Shared fixtures: the four personas of the style guide and a real Celery worker.

The world: a sector (``sector``) with a strategy owned by ``owner``; under it
a service area with two units, the library (``unit_a``) and the museum
(``unit_b``). ``head`` heads the library, ``staff`` works in it,
``otherhead`` heads the museum and must see nothing of the library's drafts,
``viewer`` is a council member who reads approved content.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from strategy.models import Organisation, Role, Strategy

from .factories import MembershipFactory, OrganisationFactory, StrategyFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
BASE_DIR = Path(__file__).resolve().parent.parent


def _migrated_template() -> Path:
    """Where a migrated, empty SQLite test database is kept between runs: its
    name changes with every migration of the project and with the lock file
    (which pins the migrations of the libraries)."""
    digest = hashlib.sha256()
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    digest.update((BASE_DIR / "requirements.lock").read_bytes())
    return Path(settings.VAR_DIR) / f"test-template-{digest.hexdigest()[:16]}.sqlite3"


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database (its WAL included), written
    under another name first so that a reader never sees half of it."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    # Read-only: a source removed meanwhile is an error, not a new empty file.
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        # A plain file (no WAL beside it), which a read-only reader leaves as it is.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()
    os.replace(partial, target)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's test databases, made faster on SQLite: migrating an empty
    database takes seconds, so each test process starts from a copy of one
    migrated before (``_migrated_template``) and only checks that nothing is
    left to apply. The first run, and the first after a migration changes,
    migrates and keeps the result for the next ones. PostgreSQL is migrated
    as usual."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    test_file = None
    keepdb = False
    if connection.vendor == "sqlite":
        test_file = Path(connection.settings_dict["TEST"]["NAME"])
        template = _migrated_template()
        if template.exists():
            try:
                _sqlite_copy(template, test_file)
                keepdb = True
            except sqlite3.Error:  # another run replaced it just now: migrate
                pass
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases={"default"},
            serialized_aliases=set(),
            keepdb=keepdb,
        )
        if test_file is not None and not keepdb:
            connection.close()
            for stale in Path(settings.VAR_DIR).glob("test-template-*.sqlite3"):
                if stale != template:
                    stale.unlink(missing_ok=True)
            _sqlite_copy(test_file, template)
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=verbosity)
    if test_file is not None:
        for leftover in (test_file, Path(f"{test_file}-wal"), Path(f"{test_file}-shm")):
            leftover.unlink(missing_ok=True)


# The test modules with a test that commits, found once when collection ends.
COMMITTING_MODULES = pytest.StashKey[set[object]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which modules have a test that commits (``module_commits``), then
    leave what collection made (Django, the project, every test module)
    out of the garbage collector's full passes: they ran over all of it each
    time, after every report rendered (``reports.pdf`` collects) and whenever
    Python chose to: 18 s of the 150 s that the strategy and report tests
    took, 10 s with this."""
    session.stash[COMMITTING_MODULES] = {getattr(item, "module", None) for item in session.items if _commits(item)}
    gc.collect()
    gc.freeze()


def _fixture_teardown_keeping_content_types(self: Any) -> None:
    """After a test that commits, Django empties every table (``flush``) and
    then rebuilds the content types and permissions by sending
    ``post_migrate``, which took a tenth of a second after each of the 130
    such tests. Here the two tables are written back as ``migrate`` left them
    instead, read once per database before the first flush; nothing else
    listens to ``post_migrate`` in Suunta (``tests/test_flush.py`` checks
    that, and what the next test finds)."""
    from django.core.management import call_command

    if self.available_apps is not None or self.serialized_rollback:
        _fixture_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        rows = _content_types_as_migrated.get(alias)
        if rows is None:
            rows = _content_types_as_migrated[alias] = _content_type_rows(alias)
        call_command(
            "flush", verbosity=0, interactive=False, database=alias, reset_sequences=False, inhibit_post_migrate=True
        )
        _content_types_write(alias, rows)


def _content_type_rows(alias: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return (
        list(ContentType.objects.using(alias).values()),
        list(Permission.objects.using(alias).values()),
    )


def _content_types_write(alias: str, rows: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_types, permissions = rows
    ContentType.objects.using(alias).bulk_create(ContentType(**row) for row in content_types)
    Permission.objects.using(alias).bulk_create(Permission(**row) for row in permissions)
    ContentType.objects.clear_cache()


_content_types_as_migrated: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
_fixture_teardown = TransactionTestCase._fixture_teardown
TransactionTestCase._fixture_teardown = _fixture_teardown_keeping_content_types  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _english_by_default(settings) -> None:
    """Requests without Accept-Language get the English interface, so that
    assertions on interface text read as the source strings. Tests of
    translations ask for a language explicitly (Accept-Language, override)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    """Hash the personas' passwords quickly; the production hashers are slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_looked_up_when_asked(settings) -> None:
    """WhiteNoise indexes every collected static file each time a test client
    builds its middleware (7 ms, about a thousand times a run); tests rarely
    ask for a static file, so it looks each one up when asked instead."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _clock_runs() -> Iterator[None]:
    """Every test starts on the calendar's date (or ``SUUNTA_TODAY``) and leaves
    no date fixed; a test fixes one with ``strategy.clock.fixed(date)``."""
    from strategy import clock

    clock.set_today(None)
    yield
    clock.set_today(None)


def clear_fragment_caches() -> None:
    """Empty the process's caches of rendered fragments, so that the next
    request renders every page region afresh."""
    from django.core.cache import caches

    caches["template_fragments"].clear()
    caches["fragment_rows"].clear()
    caches["search_results"].clear()


@pytest.fixture(autouse=True)
def _no_cached_fragments() -> None:
    """Every test renders its pages afresh: another test's database may have
    had the same ids and stamps (the fragment cache is the process's memory)."""
    clear_fragment_caches()


@pytest.fixture(autouse=True)
def _data_stamps_at_each_write(request: pytest.FixtureRequest) -> None:
    """A test runs in one transaction that is never committed: on PostgreSQL
    the data stamps are renewed at each write in it, not at its commit
    (``strategy.data_stamps.immediate``), so that the test reads what it wrote.
    Tests that commit (a live server's) renew them at each commit, as a site does."""
    if _commits(request.node):
        return
    if "db" not in request.fixturenames and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from django.db import connection

    from strategy.data_stamps import immediate

    immediate(connection)


@dataclass
class World:
    city: Organisation
    sector: Organisation
    service_area: Organisation
    unit_a: Organisation
    unit_b: Organisation
    strategy: Strategy
    owner: object
    head: object
    staff: object
    otherhead: object
    viewer: object


def world_build() -> World:
    """The personas' world (see the module's docstring), written to the database."""
    city = OrganisationFactory(name="Testikaupunki", slug="testikaupunki", kind=Organisation.Kind.CITY)
    sector = OrganisationFactory(name="Kulttuuri ja vapaa-aika", slug="kulttuuri", kind=Organisation.Kind.SECTOR, parent=city)
    area = OrganisationFactory(
        name="Kulttuurin edistäminen", slug="edistaminen", kind=Organisation.Kind.SERVICE_AREA, parent=sector
    )
    unit_a = OrganisationFactory(name="Kirjasto", slug="kirjasto", parent=area)
    unit_b = OrganisationFactory(name="Museo", slug="museo", parent=area)
    strategy = StrategyFactory(organisation=sector, title="Kulttuuristrategia", slug="kulttuuristrategia")
    owner = UserFactory(username="owner")
    head = UserFactory(username="head")
    staff = UserFactory(username="staff")
    otherhead = UserFactory(username="otherhead")
    viewer = UserFactory(username="viewer")
    MembershipFactory(user=owner, organisation=sector, role=Role.OWNER)
    MembershipFactory(user=head, organisation=unit_a, role=Role.HEAD)
    MembershipFactory(user=staff, organisation=unit_a, role=Role.STAFF)
    MembershipFactory(user=otherhead, organisation=unit_b, role=Role.HEAD)
    MembershipFactory(user=viewer, organisation=sector, role=Role.VIEWER)
    return World(city, sector, area, unit_a, unit_b, strategy, owner, head, staff, otherhead, viewer)


def _commits(item: pytest.Item) -> bool:
    """Whether a test commits (``transaction=True``, a live server, a Celery
    worker) instead of running in a savepoint that is rolled back."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def module_commits(request: pytest.FixtureRequest) -> bool:
    """Whether any test of the requesting module commits: such a module cannot
    share data built once in a transaction kept open for it."""
    return request.module in request.session.stash[COMMITTING_MODULES]


@pytest.fixture(scope="module")
def world_of_module(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[World | None]:
    """The personas' world built once for a test module, in a transaction that
    stays open for the module and is rolled back at its end; each test runs in
    a savepoint on top of it (``tests.demo_fixtures.kept_until_the_end``).
    Building it for each of the 1,250 tests in such modules took 16 ms a
    test, some 20 s of processor time a run. A module with a test that commits cannot run
    inside that transaction: there it is ``None`` and each test builds its own."""
    if module_commits(request):
        yield None
        return
    from .demo_fixtures import kept_until_the_end

    with kept_until_the_end(django_db_blocker, world_build) as world:
        yield world


@pytest.fixture
def world(world_of_module: World | None, db: None) -> World:
    """The personas' world: copies of the module's objects (what a test changes
    on them in Python does not reach the next test, and what it changes in
    the database is rolled back with its savepoint), or a world of its own in
    a module whose tests commit."""
    if world_of_module is None:
        return world_build()
    return copy.deepcopy(world_of_module)


def _database_url() -> str:
    """The URL of the database the tests run on, for processes started by tests."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or ""
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    host = conf.get("HOST") or "localhost"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{conf['NAME']}"


@pytest.fixture(scope="session", autouse=True)
def celery_test_broker(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One queue (and, without Redis, one broker folder) for the whole run.

    Celery caches its router and connection pool in the app, so the queue and
    the folder must not change between tests: a second test would otherwise
    send to the first test's queue. It applies to every test from the start
    (autouse), so that a test that enqueues without a worker cannot open a
    connection to the laptop's broker before a worker test points the app
    elsewhere; what such tests leave in the queue is purged when a worker starts.
    """
    from config.celery import app

    queue = f"test-{os.getpid()}"
    env = {}
    if not settings.REDIS_URL:
        broker_dir = tmp_path_factory.mktemp("celery")
        folder = broker_dir / "queue"
        folder.mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
        }
        app.conf.broker_url = "filesystem://"
        env["CELERY_BROKER_DIR"] = str(broker_dir)
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    return {"queue": queue, **env}


def _worker_environment(celery_test_broker: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The queue and the environment of a worker started now, on the test database."""
    broker = dict(celery_test_broker)
    queue = broker.pop("queue")
    env = {
        # Attempts follow each other at once (test_worker checks the production back-off).
        "SUUNTA_REPORT_RETRY_BACKOFF_MAX_SECONDS": "0",
        # The filesystem broker's worker sees a job within 0.1 s instead of 1 s.
        "CELERY_BROKER_POLLING_MILLISECONDS": "100",
        # A killed pool process's job is given up as lost after 1 s instead of 10 s.
        "CELERY_WORKER_LOST_WAIT": "1",
        # Django's system checks pass in their own test; a worker started for a
        # test skips them (a second of processor time each).
        "CELERY_SKIP_CHECKS": "1",
        **os.environ,
        **broker,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("SUUNTA_TEST_DB_NAME", None)
    return queue, env


def _worker_start(
    *, queue: str, env: dict[str, str], log: Path, hostname: str, purge: bool = True
) -> subprocess.Popen[bytes]:
    """A prefork worker with one pool process, in a session (process group) of
    its own, once it is ready to take jobs; its output goes to ``log``."""
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
        "--queues", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", hostname,
    ]
    if purge:
        command.append("--purge")
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    process.log_path = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            _worker_stop(process)
            pytest.fail("The Celery worker did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.05)
    return process


def _worker_stop(process: subprocess.Popen[bytes]) -> None:
    """kill -9 the worker with its pool and rendering processes.

    A warm shutdown takes seconds and the test asserts nothing after it;
    nothing is lost, since the test has waited for the jobs it sent.
    """
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # killed by the test already, pool processes with it
        pass
    process.wait()


@pytest.fixture
def celery_worker_process(
    transactional_db: None, tmp_path: Path, celery_test_broker: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker in its own process, on the test database.

    It uses Redis when REDIS_URL is set (as in CI) and otherwise the
    filesystem broker in a temporary folder; this process's Celery app is
    pointed at the same broker and queue (see ``celery_test_broker``). The
    worker reads the environment (and MEDIA_ROOT) as it is when it starts.
    """
    queue, env = _worker_environment(celery_test_broker)
    process = _worker_start(queue=queue, env=env, log=tmp_path / "worker.log", hostname="test@%h")
    try:
        yield process
    finally:
        _worker_stop(process)


@pytest.fixture
def celery_worker_starter(
    transactional_db: None, tmp_path: Path, celery_test_broker: dict[str, str]
) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start real Celery workers like ``celery_worker_process``, so that a test
    can kill one with all its pool processes at once
    (``os.killpg(worker.pid, SIGKILL)``), as a crash or the out-of-memory
    killer would, and then start another one. Whatever is still running is
    killed at the end.
    """
    started: list[subprocess.Popen[bytes]] = []

    def start(*, purge: bool = True) -> subprocess.Popen[bytes]:
        # The environment is read when each worker starts, so that it sees the test's then.
        queue, env = _worker_environment(celery_test_broker)
        number = len(started) + 1
        process = _worker_start(
            queue=queue, env=env, log=tmp_path / f"worker-{number}.log", hostname=f"test{number}@%h", purge=purge
        )
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            _worker_stop(process)
