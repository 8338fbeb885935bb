"""The API's test world: the personas' strategy with one part of every kind,
a draft plan of the library (unit_a) and an approved plan of the museum
(unit_b), an indicator, a maturity round and two reports; and a client per
persona that authenticates with a personal token."""

from __future__ import annotations

import copy
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.base import ContentFile
from django.test.utils import override_settings
from rest_framework.test import APIClient

from api.services import api_token_create
from indicators.models import Indicator, Measurement, Target
from reports.models import Report
from strategy.models import AnnualPlan, PlanItem, Strategy
from tests.conftest import module_commits, world_build
from tests.demo_fixtures import kept_until_the_end
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    PlanItemFactory,
    StrategyFactory,
    every_part,
)
from tests.maturity.conftest import answer, build_matrix, colleague, open_round

PDF = b"%PDF-1.4\n% a tiny stand-in for a rendered report\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts requests in a cache of its own (user ids repeat between
    tests). Never ``clear()`` the shared "throttle" cache: on Redis that
    flushes the whole database, other test runs' data included."""
    from api.throttles import AnonymousRateThrottle, PersonRateThrottle

    cache = LocMemCache(f"api-test-{uuid.uuid4()}", {})
    monkeypatch.setattr(PersonRateThrottle, "cache", cache)
    monkeypatch.setattr(AnonymousRateThrottle, "cache", cache)


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@dataclass
class ApiWorld:
    world: Any
    draft_strategy: Strategy
    plan_a: AnnualPlan
    item_a: PlanItem
    plan_b: AnnualPlan
    item_b: PlanItem
    indicator: Indicator
    matrix: Any
    report_all: Report
    report_a: Report


def _report(strategy: Strategy, unit: Any = None) -> Report:
    report = Report.objects.create(
        strategy=strategy,
        unit=unit,
        year=2025,
        language="fi",
        status=Report.Status.DONE,
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    report.file.save("report.pdf", ContentFile(PDF))
    return report


@dataclass
class BuiltOnce:
    """The API's world built once for a module, and where its report files are."""

    api_world: ApiWorld
    media_root: Path

    def fresh(self) -> ApiWorld:
        """Copies of the objects as built, for one test: what a test changes on
        them in Python does not reach the next test (the database's changes
        are rolled back with the test's savepoint)."""
        return copy.deepcopy(self.api_world)


@pytest.fixture(scope="module")
def api_world_of_module(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BuiltOnce | None]:
    """The API's world built once for a test module whose tests run in
    savepoints (as ``tests.conftest.world_of_module`` builds the personas'
    world), with its report files in a folder of the module's; ``None`` in a
    module whose tests commit."""
    if module_commits(request):
        yield None
        return
    media = tmp_path_factory.mktemp("media")

    def build() -> ApiWorld:
        with override_settings(MEDIA_ROOT=media):
            return api_world_build(world_build())

    with kept_until_the_end(django_db_blocker, build) as api:
        yield BuiltOnce(api, media)


@pytest.fixture
def api_world(api_world_of_module: BuiltOnce | None, media_root: Path, db: None) -> ApiWorld:
    """The API's world for one test: copies of the module's objects, with the
    report files copied into the test's own MEDIA_ROOT (a test that changes a
    file leaves the next test's as built), or a world of its own."""
    if api_world_of_module is None:
        return api_world_build(world_build())
    shutil.copytree(api_world_of_module.media_root, media_root, dirs_exist_ok=True)
    return api_world_of_module.fresh()


@pytest.fixture
def world(api_world: ApiWorld) -> Any:
    """In the API's tests the personas' world is the API world's own."""
    return api_world.world


def api_world_build(world: Any) -> ApiWorld:
    """The API's world on top of the personas' ``world``; report files go to MEDIA_ROOT."""
    strategy = world.strategy
    every_part(strategy)
    # A unit's own strategy, still a draft: the museum's head must not see it.
    draft = StrategyFactory(
        organisation=world.unit_a,
        title="Kirjaston strategia",
        slug="kirjasto-draft",
        status=Strategy.Status.DRAFT,
    )
    plan_a = AnnualPlanFactory(
        strategy=strategy, unit=world.unit_a, year=2025, status=AnnualPlan.Status.DRAFT
    )
    item_a = PlanItemFactory(
        plan=plan_a, action=ActionFactory(strategy=strategy, title="Lukupiirit")
    )
    plan_b = AnnualPlanFactory(
        strategy=strategy, unit=world.unit_b, year=2025, status=AnnualPlan.Status.APPROVED
    )
    item_b = PlanItemFactory(plan=plan_b, action=ActionFactory(strategy=strategy, title="Näyttely"))
    indicator = Indicator.objects.create(
        strategy=strategy, name_fi="Kävijämäärä", name_en="Visitors", unit_of_measure="käyntiä"
    )
    Target.objects.create(indicator=indicator, year=2025, value=Decimal(1500))
    Measurement.objects.create(
        indicator=indicator, year=2024, unit=world.unit_a, value=Decimal(1100)
    )
    matrix = build_matrix(strategy)
    round_ = open_round(matrix, [world.unit_a, world.unit_b], year=2025)
    # Three answers in the library (the smallest group shown), one in the museum.
    for n, person in enumerate([world.staff, world.head, colleague(world.unit_a, "librarian")]):
        answer(round_, world.unit_a, person, [2 + n % 2] * 5)
    answer(round_, world.unit_b, world.otherhead, [4] * 5)
    return ApiWorld(
        world=world,
        draft_strategy=draft,
        plan_a=plan_a,
        item_a=item_a,
        plan_b=plan_b,
        item_b=item_b,
        indicator=indicator,
        matrix=matrix,
        report_all=_report(strategy),
        report_a=_report(strategy, world.unit_a),
    )


def token_client(user: Any) -> APIClient:
    """A client that sends a fresh personal token of ``user``."""
    _token, secret = api_token_create(user=user, name="test", valid_days=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_persona(world: Any) -> Any:
    """``as_persona("head")``: a token client of that persona; "anonymous": no credentials."""

    def make(name: str) -> APIClient:
        if name == "anonymous":
            return APIClient()
        return token_client(getattr(world, name))

    return make


PERSONAS = ["owner", "head", "staff", "otherhead", "viewer"]
