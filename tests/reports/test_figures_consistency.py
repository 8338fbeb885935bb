"""The council report and the pages show the same figures.

One data set, read twice: every progress figure (the strategy, each focus
area, each goal's actions without a focus area, each unit's plan) and every
indicator status (the headline and each unit's) from what the pages use, and
from the report snapshot of the same year. They must be equal, on a small
hand-built set, on the demo data and on a small city built like the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target
from public.services import Approved, approved_plan_items, progress_build
from reports.services import report_snapshot_build
from strategy import clock
from strategy.models import Action, AnnualPlan, FocusArea, Goal, PlanItem, Role, Strategy
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Figures:
    """Progress and indicator statuses of one strategy in one year."""

    total: int | None = None
    areas: dict[int, int] = field(default_factory=dict)
    goals: dict[int, int] = field(default_factory=dict)
    units: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    indicators: dict[int, str] = field(default_factory=dict)
    indicator_units: dict[tuple[int, int], str] = field(default_factory=dict)


def _owner_client(strategy: Strategy) -> Client:
    owner = UserFactory(username=f"figures-owner-{strategy.pk}")
    MembershipFactory(user=owner, organisation=strategy.organisation, role=Role.OWNER)
    client = Client()
    client.force_login(owner)
    return client


def _goal_items(strategy: Strategy, year: int, goal: Goal) -> Any:
    """Approved items of actions without a focus area that answer to ``goal``."""
    return approved_plan_items(strategy, year).filter(
        Q(action__goal=goal) | Q(action__goal__isnull=True, action__objective__goal=goal),
        action__focus_area__isnull=True,
    )


def progress_from_pages(strategy: Strategy, client: Client) -> tuple[int, Figures]:
    """What the public strategy page and the plan list show (approved plans)."""
    progress = progress_build(Approved(live=strategy, shown=strategy, version=None))  # type: ignore[arg-type]
    year = progress.year
    figures = Figures(total=progress.rollup.progress if progress.rollup.total else None)
    names = {str(area): area.pk for area in FocusArea.objects.filter(strategy=strategy)}
    figures.areas = {names[title]: rollup.progress for title, rollup in progress.rows if title in names}
    for goal in Goal.objects.filter(strategy=strategy):
        rollup = _goal_items(strategy, year, goal).rollup()
        if rollup.total:
            figures.goals[goal.pk] = rollup.progress
    response = client.get(reverse("plan-list", args=[strategy.slug]), {"year": year})
    assert response.status_code == 200
    for plan in response.context["plans"]:
        if plan.status == AnnualPlan.Status.APPROVED and plan.rollup.total:
            figures.units[plan.unit.name] = (
                plan.rollup.total,
                plan.rollup.counts.get(PlanItem.Status.DONE, 0),
                plan.rollup.progress,
            )
    return year, figures


def indicators_from_pages(strategy: Strategy, client: Client) -> tuple[int, Figures]:
    """What the indicator list shows: each indicator's status and its units'."""
    response = client.get(reverse("indicator-list", args=[strategy.slug]))
    assert response.status_code == 200
    figures = Figures()
    for _group, rows in response.context["results"].groups:
        for row in rows:
            summary = row["summary"]
            figures.indicators[summary.indicator.pk] = summary.status.value
            for series in summary.unit_series:
                figures.indicator_units[(summary.indicator.pk, series.unit.pk)] = series.status.value
    return response.context["year"], figures


def progress_from_report(strategy: Strategy, snapshot: dict[str, Any]) -> Figures:
    figures = Figures(total=snapshot.get("progress", {}).get("progress"))
    areas = list(FocusArea.objects.filter(strategy=strategy).order_by("order", "number", "pk"))
    for area, entry in zip(areas, snapshot["focus_areas"], strict=True):
        if entry["item_count"]:
            figures.areas[area.pk] = entry["average_progress"]
    # Goals are printed with their titles in the report's language (Finnish here).
    goals = {goal.title_fi: goal.pk for goal in Goal.objects.filter(strategy=strategy)}
    for group in snapshot["goal_actions"]:
        if group["item_count"]:
            figures.goals[goals[group["title"]]] = group["average_progress"]
    figures.units = {
        entry["unit"]: (entry["count"], entry["done"], entry["average_progress"])
        for entry in snapshot.get("unit_summary", [])
    }
    return figures


def indicators_from_report(strategy: Strategy, snapshot: dict[str, Any]) -> Figures:
    figures = Figures()
    indicators = list(Indicator.objects.filter(strategy=strategy).order_by("order", "pk"))
    for indicator, entry in zip(indicators, snapshot["indicators"], strict=True):
        figures.indicators[indicator.pk] = entry["status"]
        for unit in entry.get("units", []):
            figures.indicator_units[(indicator.pk, unit["id"])] = unit["status"]
    return figures


def assert_report_matches_pages(strategy: Strategy) -> int:
    """Compare every figure; return how many were compared."""
    client = _owner_client(strategy)
    snapshots: dict[int, dict[str, Any]] = {}

    def snapshot(year: int) -> dict[str, Any]:
        if year not in snapshots:
            snapshots[year] = report_snapshot_build(strategy=strategy, year=year, to_year=None, unit=None, language="fi")
        return snapshots[year]

    year, pages = progress_from_pages(strategy, client)
    report = progress_from_report(strategy, snapshot(year))
    assert report.areas == pages.areas, "progress per focus area"
    assert report.goals == pages.goals, "progress per goal (actions without a focus area)"
    assert report.units == pages.units, "items, done items and progress per unit"
    assert report.total == pages.total, "the strategy's progress"
    year, pages_ind = indicators_from_pages(strategy, client)
    report_ind = indicators_from_report(strategy, snapshot(year))
    assert report_ind.indicators == pages_ind.indicators, "indicator statuses"
    assert report_ind.indicator_units == pages_ind.indicator_units, "indicator statuses per unit"
    return (
        1 + len(pages.areas) + len(pages.goals) + len(pages.units) + len(pages_ind.indicators)
        + len(pages_ind.indicator_units)
    )


def test_report_figures_equal_the_pages_on_a_hand_built_set(report_world) -> None:  # type: ignore[no-untyped-def]
    """Cancelled items are left out, done items count as 100 % (whatever their
    stored progress), and an indicator kept per unit is judged per unit."""
    world = report_world
    strategy = world.strategy
    # The pages show the current year: the year's plans are moved there.
    year = clock.current_year(strategy)
    AnnualPlan.objects.filter(strategy=strategy).update(year=year)
    plan_a = AnnualPlan.objects.get(strategy=strategy, unit=world.unit_a, year=year)
    plan_b = AnnualPlan.objects.get(strategy=strategy, unit=world.unit_b, year=year)
    area1 = FocusArea.objects.get(strategy=strategy, number="3.1")
    action = Action.objects.get(strategy=strategy, number="1")
    extra = [
        Action.objects.create(strategy=strategy, focus_area=area1, number=str(n), title_fi=f"Toimi {n}")
        for n in (3, 4)
    ]
    PlanItem.objects.create(plan=plan_b, action=extra[0], status=PlanItem.Status.CANCELLED, progress=10)
    PlanItem.objects.create(plan=plan_b, action=extra[1], status=PlanItem.Status.DONE, progress=60)
    goal = Goal.objects.create(strategy=strategy, title_fi="Elinvoimainen kaupunki", order=1)
    loose = [
        Action.objects.create(strategy=strategy, goal=goal, number=str(n), title_fi=f"Kulttuurikortti {n}")
        for n in (8, 9)
    ]
    PlanItem.objects.create(plan=plan_a, action=loose[0], status=PlanItem.Status.CANCELLED, progress=90)
    PlanItem.objects.create(plan=plan_a, action=loose[1], status=PlanItem.Status.ON_TRACK, progress=30)
    # A draft plan's items are not reported, and not shown as approved progress.
    draft = AnnualPlan.objects.create(strategy=strategy, unit=world.service_area, year=year)
    PlanItem.objects.create(plan=draft, action=action, status=PlanItem.Status.DELAYED, progress=5)
    kept_per_unit = Indicator.objects.create(strategy=strategy, name_fi="Lainaukset", focus_area=area1, order=2)
    for unit, values in [(world.unit_a, (100, 120)), (world.unit_b, (100, 20))]:
        for y, value in zip((2023, 2024), values, strict=True):
            Target.objects.create(indicator=kept_per_unit, unit=unit, year=y, value=Decimal(100))
            Measurement.objects.create(indicator=kept_per_unit, unit=unit, year=y, value=Decimal(value))
    compared = assert_report_matches_pages(strategy)
    assert compared >= 9


def test_report_figures_equal_the_pages_on_the_demo_data() -> None:
    call_command("load_demo", force=True, stdout=StringIO())
    compared = sum(assert_report_matches_pages(strategy) for strategy in Strategy.objects.order_by("pk"))
    assert compared > 15


def _small_city(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    """A few units of the benchmarks' city, built by the benchmarks' own
    builder (``bench/citydata.py``; before it, ``bench/report.py``)."""
    try:
        from bench import citydata
    except ImportError:
        from bench import report as bench

        for name, value in [
            ("SECTORS", 2),
            ("UNITS_PER_SECTOR", 3),
            ("ACTIONS", 60),
            ("INDICATORS", 6),
            ("YEARS", list(range(2022, 2026))),
            ("ITEMS_PER_PLAN", 8),
        ]:
            monkeypatch.setattr(bench, name, value)
        return bench.build(tmp_path)
    scale = citydata.Scale(
        "test", sectors=2, units_per_sector=3, actions=60, indicators=6, years=tuple(range(2022, 2026)), items_per_plan=8
    )
    return citydata.build(scale).strategy_id


def test_report_figures_equal_the_pages_on_a_small_city(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    compared = assert_report_matches_pages(Strategy.objects.get(pk=_small_city(monkeypatch, tmp_path)))
    assert compared > 10
