"""Benchmark of the council report at city scale.

    PYTHONPATH=. .venv/bin/python bench/report.py [--runs 5] [--skip-term | --term-only] [--keep] [--output report.pdf]

Builds the city-scale data of ``bench/citydata.py`` (8 sectors, 120 units,
5,000 actions, 2,000 indicators over 10 years, maturity of 120 units over 10
years) in a scratch database (SQLite in a temporary folder; PostgreSQL with
``DATABASE_URL``, in a database of its own name), then:

1. times a report of one sector strategy (about 100 pages) in a fresh
   process, warmed up like a long-running worker, against WeasyPrint alone
   on the same HTML: the two sides alternate (ABBA) over ``--runs`` rounds;
   it prints each side's median and min–max and the median of the rounds'
   ratios (target ≤ 1.10);
2. orders that annual report and a four-year council-term report through
   the app (``report_order``) and lets a real Celery worker (prefork, one
   child, the project's settings, a broker folder of its own) render them,
   reading ``/proc/<pid>/status`` of the worker's children and their
   children every 0.1 s: the peak (VmHWM) of any of them during the job,
   and the pool child's memory (VmRSS) before and after each job
   (targets: peak < 600 MB, back within 100 MB of the baseline).
   ``--term-only`` runs the council-term report of step 2 alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import citydata  # noqa: E402

REPORT_YEAR = citydata.CITY.years[-1]
TERM = (REPORT_YEAR - 3, REPORT_YEAR)  # a council term: four years
TARGET_RATIO = 1.10
TARGET_PEAK_MB = 600
TARGET_RETURN_MB = 100


# --- 1. time: the report against WeasyPrint alone, alternating --------------------------


def measure_time(strategy_id: int, runs: int, output: Path | None) -> dict[str, Any]:
    """In a fresh process: ``runs`` rounds of the whole report and of WeasyPrint
    alone on its HTML, in ABBA order so that a busy moment hits both sides."""
    from io import BytesIO

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

    def snapshot() -> dict[str, Any]:
        return report_snapshot_build(strategy=strategy, year=REPORT_YEAR, to_year=None, unit=None, language="fi")

    # Warm up imports, fonts and the template cache, as a long-running worker has them.
    report_render(snapshot=report_snapshot_build(strategy=strategy, year=REPORT_YEAR, to_year=None, unit=None, language="sv"))
    frozen = snapshot()
    html = report_html_build(snapshot=frozen)
    identifier = snapshot_digest(frozen)

    def whole() -> bytes:
        return report_render(snapshot=snapshot())

    def alone() -> bytes:
        return html_to_pdf(html, identifier=identifier)

    totals: list[float] = []
    weasy: list[float] = []
    content = b""
    for round_ in range(runs):
        sides = [(whole, totals), (alone, weasy)]
        for side, times in sides if round_ % 2 == 0 else reversed(sides):
            started = time.perf_counter()
            content = side()
            times.append(time.perf_counter() - started)
    if output:
        output.write_bytes(content)
    started = time.perf_counter()
    snapshot()
    snapshot_s = time.perf_counter() - started
    started = time.perf_counter()
    report_html_build(snapshot=frozen)
    html_s = time.perf_counter() - started
    return {
        "pages": len(PdfReader(BytesIO(content)).pages),
        "bytes": len(content),
        "plan_items": frozen["item_count"],
        "indicators": len(frozen["indicators"]),
        "totals": totals,
        "weasy": weasy,
        "ratios": [t / w for t, w in zip(totals, weasy, strict=True)],
        "snapshot_s": snapshot_s,
        "html_s": html_s,
    }


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)"


# --- 2. memory: a real worker ----------------------------------------------------------------


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in kB; empty when it has ended."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines() if line.startswith(("VmRSS", "VmHWM"))}


def _parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/<pid>/stat``."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    return parents


def _children(pid: int) -> list[int]:
    return [child for child, parent in _parents().items() if parent == pid]


def _descendants(pid: int) -> list[int]:
    parents = _parents()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


class Watcher(threading.Thread):
    """Samples the memory of a worker's descendants until stopped."""

    def __init__(self, worker_pid: int) -> None:
        super().__init__(daemon=True)
        self.worker_pid = worker_pid
        self.peak_kb = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            for pid in _descendants(self.worker_pid):
                self.peak_kb = max(self.peak_kb, _status(pid).get("VmHWM", 0))
            time.sleep(0.1)


def pool_rss_mb(worker_pid: int) -> float:
    """The memory of the worker's pool children (the processes that run tasks)."""
    return sum(_status(pid).get("VmRSS", 0) for pid in _children(worker_pid)) / 1024


def start_worker(database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
        "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]
    log = open(Path(os.environ["SUUNTA_VAR_DIR"]) / "worker.log", "wb")  # open for the worker's life
    worker = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        if _children(worker.pid):
            time.sleep(2)  # the pool child finishes importing the project
            return worker
        if worker.poll() is not None:
            raise SystemExit(f"the Celery worker did not start; see {log.name}")
        time.sleep(0.1)
    raise SystemExit("the Celery worker started no pool process")


def through_worker(worker_pid: int, strategy_id: int, *, to_year: int | None, year: int) -> dict[str, float]:
    """Order a report as the page does and wait for the worker to render it."""
    from django.db import transaction

    from reports.models import Report
    from reports.services import report_order
    from strategy.models import Strategy

    before = pool_rss_mb(worker_pid)
    watcher = Watcher(worker_pid)
    watcher.start()
    started = time.perf_counter()
    with transaction.atomic():
        report = report_order(strategy=Strategy.objects.get(pk=strategy_id), user=None, year=year, to_year=to_year, language="fi")
    while (status := Report.objects.filter(pk=report.pk).values_list("status", flat=True).get()) in ("queued", "running"):
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    time.sleep(1)  # the pool child settles
    watcher.running = False
    watcher.join()
    if status != "done":
        raise SystemExit(f"the report ended {status}: {Report.objects.get(pk=report.pk).error}")
    return {"seconds": seconds, "before_mb": before, "peak_mb": watcher.peak_kb / 1024, "after_mb": pool_rss_mb(worker_pid)}


# --- the run ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="alternating rounds of report and WeasyPrint (default 5)")
    parser.add_argument("--skip-term", action="store_true", help="leave out the four-year council-term report")
    parser.add_argument("--term-only", action="store_true",
                        help="only the council-term report through the worker (no annual report, no timing)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite database, PDFs)")
    parser.add_argument("--output", type=Path, help="write the benchmark PDF here")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # internal: the timing process
    args = parser.parse_args()
    if args.skip_term and args.term_only:
        parser.error("--skip-term and --term-only exclude each other")

    if args.measure:
        import django

        django.setup()
        print(json.dumps(measure_time(args.measure, args.runs, args.output)))
        return 0

    folder = citydata.temporary_folder()
    os.environ.pop("REDIS_URL", None)  # the worker's broker is a folder of the bench's own
    citydata.configure(Path(folder.name), scratch_name="suunta_bench_report")
    import django

    django.setup()
    try:
        with citydata.scratch_database() as database_url:
            started = time.perf_counter()
            city = citydata.build(citydata.CITY)
            print(f"Data set built in {time.perf_counter() - started:.1f} s: {citydata.CITY.describe()}, "
                  f"maturity of {citydata.CITY.units} units.")
            ok = memory(city, args, database_url)
            if not args.term_only:
                ok = timing(city, args, database_url) and ok
            print("Targets met." if ok else "Targets NOT met.")
    finally:
        if args.keep:
            print(f"Folder kept: {folder.name}")
        else:
            folder.cleanup()
    return 0


def timing(city: citydata.City, args: argparse.Namespace, database_url: str) -> bool:
    command = [sys.executable, __file__, "--measure", str(city.strategy_id), "--runs", str(args.runs)]
    if args.output:
        command += ["--output", str(args.output)]
    env = {**os.environ, "DATABASE_URL": database_url}
    completed = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    ratio = statistics.median(result["ratios"])
    print(f"Report of one sector strategy for {REPORT_YEAR}: {result['pages']} pages, {result['bytes'] / 1e6:.1f} MB, "
          f"{result['plan_items']} plan items, {result['indicators']} indicators with charts")
    print(f"  report_snapshot_seconds {result['snapshot_s']:.2f}")
    print(f"  report_html_seconds {result['html_s']:.2f}")
    print(f"  report_total_seconds {spread(result['totals'])}")
    print(f"  report_weasyprint_alone_seconds {spread(result['weasy'])}")
    print(f"  report_ratio {ratio:.3f} (median of {len(result['ratios'])} alternating rounds, "
          f"min {min(result['ratios']):.3f}, max {max(result['ratios']):.3f}; target <= {TARGET_RATIO})")
    return ratio <= TARGET_RATIO


def memory(city: citydata.City, args: argparse.Namespace, database_url: str) -> bool:
    from django.db import connection

    connection.close()
    worker = start_worker(database_url)
    ok = True
    try:
        jobs = [] if args.term_only else [("annual", REPORT_YEAR, None)]
        jobs += [] if args.skip_term else [("term", *TERM)]
        for name, year, to_year in jobs:
            result = through_worker(worker.pid, city.strategy_id, year=year, to_year=to_year)
            back = result["after_mb"] - result["before_mb"]
            ok = ok and result["peak_mb"] < TARGET_PEAK_MB and back <= TARGET_RETURN_MB
            span = f"{year}–{to_year}" if to_year else str(year)
            print(f"Report through a Celery worker ({name}, {span}): {result['seconds']:.1f} s")
            print(f"  report_{name}_worker_peak_mb {result['peak_mb']:.0f} (any worker process; target < {TARGET_PEAK_MB})")
            print(f"  report_{name}_worker_child_before_mb {result['before_mb']:.0f}")
            print(f"  report_{name}_worker_child_after_mb {result['after_mb']:.0f} "
                  f"(+{back:.0f} MB; target within {TARGET_RETURN_MB} MB of before)")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return ok


if __name__ == "__main__":
    sys.exit(main())
