"""Benchmark: a one-month scheduled refresh against a full refresh, through the real ``scorecard`` CLI.

Not collected by pytest (wall-clock figures belong in notes, never in assertions). Run it as::

    .venv/bin/python -m tests.benchmarks.bench_refresh --scale 10 --months 36
    .venv/bin/python -m tests.benchmarks.bench_refresh --scale 10 --months 72

It replays what production sees, in a scratch directory:

1. ``scorecard demo`` writes ``--months`` of exports ending at ``--end-month``; the files of that last
   month are held back, as if month end had not come yet.
2. **initial load**: ``scorecard run --all`` with the history ending the month before: every export
   ingested, every dbt model built from empty, published.
3. **scheduled refresh**: the held-back month lands and ``scorecard run --period <end-month>`` runs,
   exactly what the monthly schedule launches: the new files ingested, the new month plus the
   restatement window recomputed incrementally, published.
4. **re-run**: the same command again with nothing new (the idempotent case: a retried schedule).
5. **full refresh**: ``scorecard run --all`` over the same warehouse: every month recomputed.

Each step is a separate process, timed end to end (Python start-up, Dagster, dbt, publishing). Peak
RSS is the largest of the child processes so far.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from orchestration.config.periods import add_months
from orchestration.demo import generate_demo
from tests.publish.helpers import hold_back


def _children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _run(label: str, args: list[str], env: dict[str, str], log: Path) -> float:
    command = [str(Path(sys.executable).with_name("scorecard")), *args]
    started = time.perf_counter()
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command[1:])}\n")
        out.flush()
        done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed (exit {done.returncode}); see {log}")
    print(f"{label:<22} {elapsed:7.1f} s   scorecard {' '.join(args)}", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--end-month", default="2026-10", help="YYYY-MM: the month the schedule refreshes")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch directory and print it")
    args = parser.parse_args()
    year, month = map(int, args.end_month.split("-"))
    end = date(year, month, 1)
    first, previous = add_months(end, 1 - args.months), add_months(end, -1)

    tmp = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    try:
        landing, warehouse, log = tmp / "landing", tmp / "warehouse", tmp / "runs.log"
        started = time.perf_counter()
        summary = generate_demo(landing, scale=args.scale, months=args.months, end_month=end)
        held = hold_back(landing, f"{end:%Y-%m}", tmp / "held")
        print(
            f"scale={args.scale:g} months={args.months} ({first:%Y-%m}..{end:%Y-%m}): "
            f"{summary.total_rows:,} rows in {summary.total_files} files, generated in "
            f"{time.perf_counter() - started:.1f} s; {len(held)} files of {end:%Y-%m} held back",
            flush=True,
        )
        env = {
            **os.environ,
            "SCORECARD_LANDING_DIR": str(landing),
            "SCORECARD_WAREHOUSE_DIR": str(warehouse),
            "SCORECARD_FIRST_MONTH": f"{first:%Y-%m}",
            "SCORECARD_LAST_MONTH": f"{previous:%Y-%m}",
            "DAGSTER_HOME": str(tmp / "dagster_home"),
        }
        _run("initial load", ["run", "--all"], env, log)
        for path in held:
            shutil.move(tmp / "held" / path.relative_to(landing), path)
        env["SCORECARD_LAST_MONTH"] = f"{end:%Y-%m}"
        _run("scheduled refresh", ["run", "--period", f"{end:%Y-%m}"], env, log)
        _run("re-run, nothing new", ["run", "--period", f"{end:%Y-%m}"], env, log)
        _run("full refresh", ["run", "--all"], env, log)
        size = sum(p.stat().st_size for p in warehouse.rglob("*.duckdb"))
        print(f"peak RSS of one run: {_children_peak_rss_mb():,.0f} MB; warehouse files {size / 1e6:,.0f} MB")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
