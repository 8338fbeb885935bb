"""The benchmarks' data set: one city of sectors, units, actions, plans,
indicators and maturity rounds, built deterministically at a given scale.

``CITY`` is the scale the issue measures (8 sectors, 120 units, 5,000 actions,
2,000 indicators over 10 years); ``DEMO`` is about the size of the demo data,
to compare query counts with. ``build(scale)`` returns the ids the benches
need (strategy, a plan, an indicator, a round, people), and
``scratch_database`` gives a throwaway database: a SQLite file in a temporary
folder, or, with ``DATABASE_URL`` set, a PostgreSQL database of its own name
on that server (never the one the URL names).

Not a benchmark itself (``make bench`` skips modules without ``main``): the
page, load and report benches import it.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

LEVELS = [("Alkava", "Inleds"), ("Kehittyvä", "Utvecklas"), ("Hyvä", "Bra"), ("Optimaalinen", "Optimalt")]
DIMENSIONS = ["Visio 2027", "Saavutettava palveluverkko", "Painopistealueet", "Ohjaus ja seuranta", "Strategia arjessa"]
WORDS = (
    "kulttuuri liikunta nuoriso kirjasto museo osallisuus hyvinvointi palvelu asukas yhteistyö "
    "digitaalinen saavutettavuus kestävä kehitys tapahtuma harrastus oppiminen verkosto kumppanuus"
).split()
PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Scale:
    name: str
    sectors: int
    units_per_sector: int
    actions: int
    indicators: int
    years: tuple[int, ...]
    items_per_plan: int = 40

    @property
    def units(self) -> int:
        return self.sectors * self.units_per_sector

    def describe(self) -> str:
        return (
            f"1 city, {self.sectors} sectors, {self.units} units, {self.actions} actions, "
            f"{self.indicators} indicators over {len(self.years)} years"
        )


CITY = Scale("city", sectors=8, units_per_sector=15, actions=5000, indicators=2000, years=tuple(range(2016, 2026)))
DEMO = Scale("demo", sectors=2, units_per_sector=4, actions=120, indicators=40, years=tuple(range(2023, 2026)))
TINY = Scale("tiny", sectors=1, units_per_sector=2, actions=6, indicators=3, years=(2024, 2025), items_per_plan=3)


@dataclass
class City:
    """What the benches look up after ``build``."""

    strategy_id: int
    slug: str
    city_slug: str
    sector_slug: str
    plan_id: int
    item_ids: list[int]
    indicator_id: int
    round_id: int
    unit_slug: str
    usernames: dict[str, str]  # persona -> username


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(scale: Scale = CITY) -> City:
    """Create the data set in the (migrated, empty) database."""
    from django.db import transaction

    rng = random.Random(2024)
    with transaction.atomic():
        strategies, units_by_sector = _organisations(scale, rng)
        actions_by_strategy = _actions(scale, rng, strategies)
        plans = _plans(scale, rng, strategies, units_by_sector, actions_by_strategy)
        indicators = _indicators(scale, rng, strategies)
        rounds = _maturity(scale, rng, strategies, units_by_sector)
        usernames = _people(strategies[0], units_by_sector[0][0])
        _approve(strategies[0], scale)
    from strategy.models import PlanItem

    plan = next(p for p in plans if p.strategy_id == strategies[0].pk and p.unit_id == units_by_sector[0][0].pk and p.year == scale.years[-1])
    return City(
        strategy_id=strategies[0].pk,
        slug=strategies[0].slug,
        city_slug=strategies[0].organisation.parent.slug,
        sector_slug=strategies[0].organisation.slug,
        plan_id=plan.pk,
        item_ids=list(PlanItem.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True)),
        indicator_id=indicators[0].pk,
        round_id=rounds[0].pk,
        unit_slug=units_by_sector[0][0].slug,
        usernames=usernames,
    )


def _organisations(scale: Scale, rng: random.Random) -> tuple[list[Any], list[list[Any]]]:
    from strategy.models import FocusArea, Organisation, Strategy, TargetState, Vision

    city = Organisation.objects.create(name_fi="Benchmarkkaupunki", slug="bench-city", kind=Organisation.Kind.CITY)
    strategies, units_by_sector = [], []
    for s in range(scale.sectors):
        sector = Organisation.objects.create(name_fi=f"Toimiala {s + 1}", slug=f"sector-{s}", kind=Organisation.Kind.SECTOR, parent=city)
        units_by_sector.append([
            Organisation.objects.create(name_fi=f"Yksikkö {s + 1}.{u + 1}", slug=f"unit-{s}-{u}", kind=Organisation.Kind.UNIT, parent=sector)
            for u in range(scale.units_per_sector)
        ])
        strategy = Strategy.objects.create(
            organisation=sector, title_fi=f"Toimialan {s + 1} strategia", slug=f"strategy-{s}",
            period_start=scale.years[0], period_end=scale.years[-1], status=Strategy.Status.APPROVED,
            published=True, purpose_fi=_sentence(rng, 15),
        )
        strategies.append(strategy)
        Vision.objects.create(strategy=strategy, text_fi=_sentence(rng, 25))
        TargetState.objects.bulk_create(
            TargetState(strategy=strategy, title_fi=_sentence(rng, 4), body_fi=_sentence(rng, 30), order=n) for n in range(4)
        )
    for strategy in strategies:
        strategy.focus_areas_built = FocusArea.objects.bulk_create(
            FocusArea(strategy=strategy, number=f"3.{n + 1}", title_fi=f"Painopiste {n + 1}: {_sentence(rng, 3)}",
                      description_fi=_sentence(rng, 30), order=n)
            for n in range(5)
        )
    return strategies, units_by_sector


def _actions(scale: Scale, rng: random.Random, strategies: list[Any]) -> dict[int, list[Any]]:
    from strategy.models import Action

    actions = []
    for index in range(scale.actions):
        strategy = strategies[index % scale.sectors]
        actions.append(Action(
            strategy=strategy, focus_area=strategy.focus_areas_built[index % 5], number=str(index + 1),
            title_fi=_sentence(rng, 6), start_year=scale.years[0], end_year=scale.years[-1], order=index,
        ))
    by_strategy: dict[int, list[Any]] = {}
    for action in Action.objects.bulk_create(actions, batch_size=1000):
        by_strategy.setdefault(action.strategy_id, []).append(action)
    return by_strategy


def _plans(scale: Scale, rng: random.Random, strategies: list[Any], units_by_sector: list[list[Any]],
           actions_by_strategy: dict[int, list[Any]]) -> list[Any]:
    from strategy.models import AnnualPlan, PlanItem

    plans = AnnualPlan.objects.bulk_create(
        AnnualPlan(strategy=strategy, unit=unit, year=year, status=AnnualPlan.Status.APPROVED)
        for strategy, units in zip(strategies, units_by_sector, strict=True)
        for unit in units
        for year in scale.years
    )
    statuses = [choice for choice, _label in PlanItem.Status.choices]
    items = [
        PlanItem(
            plan=plan, action=action, status=rng.choice(statuses), progress=rng.randint(0, 100),
            budget=Decimal(rng.randint(0, 500)) * 100,
            year_end_assessment=_sentence(rng, 12) if rng.random() < 0.3 else "",
        )
        for plan in plans
        for action in rng.sample(actions_by_strategy[plan.strategy_id], scale.items_per_plan)
    ]
    PlanItem.objects.bulk_create(items, batch_size=2000)
    return plans


def _indicators(scale: Scale, rng: random.Random, strategies: list[Any]) -> list[Any]:
    from indicators.models import Indicator, Measurement, Target

    indicators = Indicator.objects.bulk_create(
        Indicator(strategy=strategies[n % scale.sectors], name_fi=f"Mittari {n + 1}: {_sentence(rng, 3)}",
                  unit_of_measure_fi="kpl", baseline_year=scale.years[0], baseline_value=Decimal(1000), order=n)
        for n in range(scale.indicators)
    )
    Target.objects.bulk_create(
        (Target(indicator=i, year=year, value=Decimal(1000 + 50 * n)) for i in indicators for n, year in enumerate(scale.years)),
        batch_size=5000,
    )
    Measurement.objects.bulk_create(
        (Measurement(indicator=i, year=year, value=Decimal(1000 + 50 * n + rng.randint(-120, 120)))
         for i in indicators for n, year in enumerate(scale.years)),
        batch_size=5000,
    )
    return indicators


def _maturity(scale: Scale, rng: random.Random, strategies: list[Any], units_by_sector: list[list[Any]]) -> list[Any]:
    """A model per strategy with a closed round a year; the last year's round is
    open, so that the self-assessment page takes answers."""
    from maturity.models import AgreedLevel, AssessmentRound, Dimension, Level, MaturityModel

    agreed, last_rounds = [], []
    for strategy, units in zip(strategies, units_by_sector, strict=True):
        model = MaturityModel.objects.create(strategy=strategy, name_fi="Kypsyysmatriisi")
        levels = [Level.objects.create(model=model, ordinal=n, name_fi=fi, name_sv=sv) for n, (fi, sv) in enumerate(LEVELS, start=1)]
        dimensions = [Dimension.objects.create(model=model, number=str(n), title_fi=t, order=n) for n, t in enumerate(DIMENSIONS, start=1)]
        for year in scale.years:
            last = year == scale.years[-1]
            round_ = AssessmentRound.objects.create(
                model=model, year=year, opens=date(year, 1, 1) if last else date(year, 9, 1),
                closes=date(2099, 12, 31) if last else date(year, 10, 1),
                status=AssessmentRound.Status.OPEN if last else AssessmentRound.Status.CLOSED,
            )
            round_.units.add(*units)
            if last:
                last_rounds.append(round_)
                continue
            agreed.extend(
                AgreedLevel(round=round_, unit=unit, dimension=dimension, level=rng.choice(levels))
                for unit in units
                for dimension in dimensions
            )
    AgreedLevel.objects.bulk_create(agreed, batch_size=5000)
    return last_rounds


def _people(strategy: Any, unit: Any) -> dict[str, str]:
    """An owner of the first sector's strategy, and a head and a staff member
    of its first unit (one password hash, shared: hashing is slow on purpose)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from strategy.models import Membership, Role

    password = make_password(PASSWORD)
    people = {"owner": (strategy.organisation, Role.OWNER), "head": (unit, Role.HEAD), "staff": (unit, Role.STAFF)}
    usernames = {}
    for persona, (organisation, role) in people.items():
        user = get_user_model().objects.create(username=f"bench-{persona}", password=password, email=f"{persona}@bench.invalid")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        usernames[persona] = user.username
    return usernames


def _approve(strategy: Any, scale: Scale) -> None:
    """Approve the first strategy as version 1, so that its public pages show it."""
    from django.contrib.auth import get_user_model

    from strategy.models import Strategy
    from strategy.versions import content_sha256, strategy_approve, strategy_snapshot

    current = Strategy.objects.get(pk=strategy.pk)
    strategy_approve(
        strategy=current, user=get_user_model().objects.get(username="bench-owner"), expected_version=current.version,
        expected_content=content_sha256(strategy_snapshot(current)), approved_on=date(scale.years[0], 1, 15),
        decision_body={"fi": "Kaupunginvaltuusto"}, decision_reference="§ 1",
    )


def extra_people(count: int, *, unit_slug: str, prefix: str = "bench-person") -> list[str]:
    """``count`` more heads of the unit (the load bench's simulated people)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from strategy.models import Membership, Organisation, Role

    unit = Organisation.objects.get(slug=unit_slug)
    password = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}-{n}", password=password, email=f"{prefix}-{n}@bench.invalid") for n in range(count)
    )
    Membership.objects.bulk_create(Membership(user=user, organisation=unit, role=Role.HEAD) for user in users)
    return [user.username for user in users]


# --- databases -----------------------------------------------------------------------------


def configure(var_dir: Path, *, scratch_name: str, debug: bool = False) -> None:
    """Set the environment for ``django.setup()``: the bench's own folder, and
    with ``DATABASE_URL`` a scratch database on that server named
    ``scratch_name`` and the process id (two runs at once do not collide)."""
    os.environ["SUUNTA_VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)  # WhiteNoise warns about a missing STATIC_ROOT
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    in_postgres = bool(os.environ.get("DATABASE_URL"))
    os.environ["SUUNTA_TEST_DB_NAME"] = f"{scratch_name}_{os.getpid()}" if in_postgres else str(var_dir / "bench.sqlite3")
    if not debug:
        os.environ.update({
            "DEBUG": "False", "SECRET_KEY": "bench-only-secret-key-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "False", "SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False",
        })


@contextmanager
def scratch_database() -> Iterator[str]:
    """Create an empty, migrated database for the bench (after ``configure``
    and ``django.setup()``), yield a ``DATABASE_URL`` other processes can use,
    and drop it afterwards."""
    from django.db import connection

    original = dict(connection.settings_dict)
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if connection.vendor == "sqlite":
            yield f"sqlite:///{name}"
        else:
            parts = urlsplit(os.environ["DATABASE_URL"])
            yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        connection.creation.destroy_test_db(original["NAME"], verbosity=0)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="suunta-bench-")
