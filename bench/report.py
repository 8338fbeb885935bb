"""Benchmark of the council report at city scale.

    .venv/bin/python bench/report.py [--keep]

Builds a throw-away SQLite database with one city, 8 sectors, 120 units,
5,000 actions, 2,000 indicators over 10 years and maturity levels of 120
units over 10 years, then times a report of one sector strategy (about 100
pages) in a fresh process, like a worker:

- total: gathering the data (snapshot) + HTML and charts + WeasyPrint,
- WeasyPrint alone on the same HTML,
- the peak memory (ru_maxrss) of a fresh process that renders the report
  once, as a worker child does (workers recycle their children).

Targets: total <= 1.10 x WeasyPrint alone; peak < 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SECTORS = 8
UNITS_PER_SECTOR = 15  # 120 units
ACTIONS = 5000
INDICATORS = 2000
YEARS = list(range(2016, 2026))  # 10 years
REPORT_YEAR = 2025
ITEMS_PER_PLAN = 40
LEVELS = [("Alkava", "Inleds"), ("Kehittyvä", "Utvecklas"), ("Hyvä", "Bra"), ("Optimaalinen", "Optimalt")]
DIMENSIONS = ["Visio 2027", "Saavutettava palveluverkko", "Painopistealueet", "Ohjaus ja seuranta", "Strategia arjessa"]


def setup_django(var_dir: Path) -> None:
    os.environ["SUUNTA_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(var_dir: Path) -> int:
    """Create the data set; return the id of the sector strategy to report on."""
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)

    from indicators.models import Indicator, Measurement, Target
    from maturity.models import AgreedLevel, AssessmentRound, Dimension, Level, MaturityModel
    from strategy.models import (
        Action,
        AnnualPlan,
        FocusArea,
        Organisation,
        PlanItem,
        Strategy,
        TargetState,
        Vision,
    )

    rng = random.Random(2024)
    words = (
        "kulttuuri liikunta nuoriso kirjasto museo osallisuus hyvinvointi palvelu asukas yhteistyö "
        "digitaalinen saavutettavuus kestävä kehitys tapahtuma harrastus oppiminen verkosto kumppanuus"
    ).split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    with transaction.atomic():
        city = Organisation.objects.create(name_fi="Benchmarkkaupunki", slug="bench-city", kind=Organisation.Kind.CITY)
        strategies = []
        units_by_sector = []
        for s in range(SECTORS):
            sector = Organisation.objects.create(
                name_fi=f"Toimiala {s + 1}", slug=f"sector-{s}", kind=Organisation.Kind.SECTOR, parent=city
            )
            units = [
                Organisation.objects.create(
                    name_fi=f"Yksikkö {s + 1}.{u + 1}", slug=f"unit-{s}-{u}", kind=Organisation.Kind.UNIT, parent=sector
                )
                for u in range(UNITS_PER_SECTOR)
            ]
            units_by_sector.append(units)
            strategy = Strategy.objects.create(
                organisation=sector,
                title_fi=f"Toimialan {s + 1} strategia",
                slug=f"strategy-{s}",
                period_start=YEARS[0],
                period_end=YEARS[-1],
                status=Strategy.Status.APPROVED,
                purpose_fi=sentence(15),
            )
            strategies.append(strategy)
            Vision.objects.create(strategy=strategy, text_fi=sentence(25))
            TargetState.objects.bulk_create(
                TargetState(strategy=strategy, title_fi=sentence(4), body_fi=sentence(30), order=n) for n in range(4)
            )

        areas_by_strategy = {
            strategy.pk: FocusArea.objects.bulk_create(
                FocusArea(strategy=strategy, number=f"3.{n + 1}", title_fi=f"Painopiste {n + 1}: {sentence(3)}", description_fi=sentence(30), order=n)
                for n in range(5)
            )
            for strategy in strategies
        }
        actions = []
        for index in range(ACTIONS):
            strategy = strategies[index % SECTORS]
            area = areas_by_strategy[strategy.pk][index % 5]
            actions.append(
                Action(strategy=strategy, focus_area=area, number=str(index + 1), title_fi=sentence(6), start_year=YEARS[0], end_year=YEARS[-1], order=index)
            )
        actions = Action.objects.bulk_create(actions, batch_size=1000)
        actions_by_strategy: dict[int, list[Action]] = {}
        for action in actions:
            actions_by_strategy.setdefault(action.strategy_id, []).append(action)

        plans = AnnualPlan.objects.bulk_create(
            AnnualPlan(strategy=strategy, unit=unit, year=year, status=AnnualPlan.Status.APPROVED)
            for strategy, units in zip(strategies, units_by_sector, strict=True)
            for unit in units
            for year in YEARS
        )
        statuses = [choice for choice, _label in PlanItem.Status.choices]
        items = []
        for plan in plans:
            for action in rng.sample(actions_by_strategy[plan.strategy_id], ITEMS_PER_PLAN):
                items.append(
                    PlanItem(
                        plan=plan,
                        action=action,
                        status=rng.choice(statuses),
                        progress=rng.randint(0, 100),
                        budget=Decimal(rng.randint(0, 500)) * 100,
                        year_end_assessment=sentence(12) if rng.random() < 0.3 else "",
                    )
                )
        PlanItem.objects.bulk_create(items, batch_size=2000)

        indicators = Indicator.objects.bulk_create(
            Indicator(strategy=strategies[n % SECTORS], name_fi=f"Mittari {n + 1}: {sentence(3)}", unit_of_measure_fi="kpl", baseline_year=YEARS[0], baseline_value=Decimal(1000), order=n)
            for n in range(INDICATORS)
        )
        Target.objects.bulk_create(
            (Target(indicator=indicator, year=year, value=Decimal(1000 + 50 * i)) for indicator in indicators for i, year in enumerate(YEARS)),
            batch_size=5000,
        )
        Measurement.objects.bulk_create(
            (Measurement(indicator=indicator, year=year, value=Decimal(1000 + 50 * i + rng.randint(-120, 120))) for indicator in indicators for i, year in enumerate(YEARS)),
            batch_size=5000,
        )

        agreed = []
        for strategy, units in zip(strategies, units_by_sector, strict=True):
            model = MaturityModel.objects.create(strategy=strategy, name_fi="Kypsyysmatriisi")
            levels = [Level.objects.create(model=model, ordinal=n, name_fi=fi, name_sv=sv) for n, (fi, sv) in enumerate(LEVELS, start=1)]
            dimensions = [Dimension.objects.create(model=model, number=str(n), title_fi=title, order=n) for n, title in enumerate(DIMENSIONS, start=1)]
            for year in YEARS:
                round_ = AssessmentRound.objects.create(model=model, year=year, opens=date(year, 9, 1), closes=date(year, 10, 1), status=AssessmentRound.Status.CLOSED)
                round_.units.add(*units)
                for unit in units:
                    for dimension in dimensions:
                        agreed.append(AgreedLevel(round=round_, unit=unit, dimension=dimension, level=rng.choice(levels)))
        AgreedLevel.objects.bulk_create(agreed, batch_size=5000)
    return strategies[0].pk


def measure_memory(strategy_id: int) -> dict[str, object]:
    """Peak memory of one report in a fresh process, as in a worker child."""
    from reports.services import report_render, report_snapshot_build
    from strategy.models import Strategy

    strategy = Strategy.objects.get(pk=strategy_id)
    report_render(snapshot=report_snapshot_build(strategy=strategy, year=REPORT_YEAR, to_year=None, unit=None, language="fi"))
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(strategy_id: int, output: Path | None) -> dict[str, object]:
    """Time one report as a worker would make it (warmed up, best of two)."""
    from pypdf import PdfReader

    from reports.pdf import html_to_pdf
    from reports.services import (
        report_html_build,
        report_render,
        report_snapshot_build,
        snapshot_digest,
    )
    from strategy.models import Strategy

    strategy = Strategy.objects.get(pk=strategy_id)

    def full() -> tuple[bytes, dict, float, float]:
        started = time.perf_counter()
        snapshot = report_snapshot_build(strategy=strategy, year=REPORT_YEAR, to_year=None, unit=None, language="fi")
        gathered = time.perf_counter()
        content = report_render(snapshot=snapshot)
        return content, snapshot, gathered - started, time.perf_counter() - started

    # Warm up imports, fonts and the template cache, as a long-running worker has them.
    report_render(snapshot=report_snapshot_build(strategy=strategy, year=REPORT_YEAR, to_year=None, unit=None, language="sv"))

    totals, weasy, snapshot_times, html_times = [], [], [], []
    for _round in range(2):
        content, snapshot, snapshot_time, total = full()
        totals.append(total)
        snapshot_times.append(snapshot_time)
        started = time.perf_counter()
        html = report_html_build(snapshot=snapshot)
        html_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        alone = html_to_pdf(html, identifier=snapshot_digest(snapshot))
        weasy.append(time.perf_counter() - started)
        assert alone == content
    if output:
        output.write_bytes(content)
    from io import BytesIO

    pages = len(PdfReader(BytesIO(content)).pages)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "pages": pages,
        "bytes": len(content),
        "plan_items": snapshot["item_count"],
        "indicators": len(snapshot["indicators"]),
        "snapshot_s": min(snapshot_times),
        "html_s": min(html_times),
        "total_s": min(totals),
        "weasyprint_s": min(weasy),
        "ratio": min(totals) / min(weasy),
        "timing_process_peak_mb": peak_kb / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary database.")
    parser.add_argument("--output", type=Path, help="Write the benchmark PDF here.")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # internal: the child processes
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        setup_django(args.var_dir)
        result = measure_memory(args.measure) if args.memory else measure(args.measure, args.output)
        print(json.dumps(result))
        return

    var_dir = Path(tempfile.mkdtemp(prefix="suunta-bench-"))
    try:
        setup_django(var_dir)
        started = time.perf_counter()
        strategy_id = build(var_dir)
        print(f"Data set built in {time.perf_counter() - started:.1f} s: 1 city, {SECTORS} sectors, "
              f"{SECTORS * UNITS_PER_SECTOR} units, {ACTIONS} actions, {INDICATORS} indicators over {len(YEARS)} years, "
              f"maturity of {SECTORS * UNITS_PER_SECTOR} units over {len(YEARS)} years.")
        # Fresh processes, so that peak memory is the rendering's, not the data set builder's.
        command = [sys.executable, __file__, "--measure", str(strategy_id), "--var-dir", str(var_dir)]

        def child(*extra: str) -> dict:
            completed = subprocess.run([*command, *extra], check=True, capture_output=True, text=True)
            return json.loads(completed.stdout.strip().splitlines()[-1])

        result = child(*(["--output", str(args.output)] if args.output else []))
        result.update(child("--memory"))
        print(f"Report of one sector strategy for {REPORT_YEAR}: {result['pages']} pages, {result['bytes'] / 1e6:.1f} MB, "
              f"{result['plan_items']} plan items, {result['indicators']} indicators with charts")
        print(f"  gathering the data (snapshot): {result['snapshot_s']:.2f} s")
        print(f"  HTML with charts:              {result['html_s']:.2f} s")
        print(f"  WeasyPrint alone on the HTML:  {result['weasyprint_s']:.2f} s")
        print(f"  total:                         {result['total_s']:.2f} s  = {result['ratio']:.3f} x WeasyPrint alone (target <= 1.10)")
        print(f"  peak memory, one report in a fresh process (a worker child): {result['peak_mb']:.0f} MB (target < 600 MB)")
        print(f"  peak memory of the timing process (3 reports):              {result['timing_process_peak_mb']:.0f} MB")
        ok = result["ratio"] <= 1.10 and result["peak_mb"] < 600
        print("Targets met." if ok else "Targets NOT met.")
    finally:
        if args.keep:
            print(f"Database kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
