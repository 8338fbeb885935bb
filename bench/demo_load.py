"""Demo loader benchmark: ``load_demo`` into an empty database, again with
nothing to change, and with ``--reset``.

Run: ``.venv/bin/python bench/demo_load.py``. It builds a throwaway,
migrated database (``citydata.scratch_database``: SQLite in a temporary
folder, or with ``DATABASE_URL`` a scratch database on that server; nothing
of yours is touched) and loads the demo once into the empty database; then, ``--runs`` times (default
5), a run that finds everything in place and a ``--reset`` run, alternating.
It prints the processor time of each kind of run (the first alone, the
others as the median) and its queries, one figure a line.

Target: a run that changes nothing reads each kind of row once, not each row
(at most 150 queries; ``tests/demo/test_demo.py`` holds the same bound).
The personas' password is hashed once a run with the production hasher,
about half a second of each figure.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import citydata

TODAY = datetime.date(2026, 11, 30)
QUERY_TARGET = 150


def timed(run: Callable[[], object]) -> tuple[float, int]:
    """Processor seconds and queries of one run."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.process_time()
        run()
        seconds = time.process_time() - started
    return seconds, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with citydata.temporary_folder() as folder:
        citydata.configure(Path(folder), scratch_name="suunta_bench_demo")
        import django

        django.setup()
        with citydata.scratch_database():
            return measure(runs)


def measure(runs: int) -> int:
    from demo.loader import demo_load

    empty = timed(lambda: demo_load(today=TODAY))
    unchanged: list[tuple[float, int]] = []
    reset: list[tuple[float, int]] = []
    for _ in range(runs):
        unchanged.append(timed(lambda: demo_load(today=TODAY)))
        reset.append(timed(lambda: demo_load(reset=True, today=TODAY)))

    print(f"demo_load_empty_seconds {empty[0]:.2f}")
    print(f"demo_load_empty_queries {empty[1]}")
    print(f"demo_load_unchanged_seconds {statistics.median(s for s, _ in unchanged):.2f}")
    unchanged_queries = max(q for _, q in unchanged)
    print(f"demo_load_unchanged_queries {unchanged_queries} (target <= {QUERY_TARGET})")
    print(f"demo_load_reset_seconds {statistics.median(s for s, _ in reset):.2f}")
    print(f"demo_load_reset_queries {max(q for _, q in reset)}")
    met = unchanged_queries <= QUERY_TARGET
    print(f"demo_load_target_met {'yes' if met else 'no'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
