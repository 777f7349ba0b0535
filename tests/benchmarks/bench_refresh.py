"""Benchmark: what a scheduled refresh costs through the real ``scorecard`` CLI, against plain DuckDB SQL.

Not collected by pytest (wall-clock figures belong in notes, never in assertions). Run it as::

    .venv/bin/python -m tests.benchmarks.bench_refresh --scale 10 --months 36 72 --repeat 3
    .venv/bin/python -m tests.benchmarks.bench_refresh --scale 10 --months 36 --repeat 1 --engine spark

Each ``--months`` value gets a scratch directory of its own (under one temporary directory; ``--keep``
keeps it, with ``runs.log``, the output of every command): its own landing zone, warehouse and
``DAGSTER_HOME``; inherited ``SCORECARD_*`` variables are dropped and the benchmark sets
``SCORECARD_LANDING_DIR``, ``SCORECARD_WAREHOUSE_DIR``, ``SCORECARD_FIRST_MONTH`` and
``SCORECARD_LAST_MONTH``. The company is the demo at the repository root. What it replays:

Setup, once (timed, reported, not repeated)

1. **generate**: what ``scorecard demo`` does (``orchestration.demo.generate_demo``): ``--months`` of
   exports at ``--scale`` ending with ``--end-month``. The per-month files of that last month
   (``<system>/<table>/<YYYY-MM>.*``) are held back, as if the month had not closed yet; the snapshot
   files (accounts, employees, team assignments, plans, cost of revenue) and the quarterly survey files
   are not per month and stay, so the initial load already sees their rows of the last month.
2. **initial load**: ``scorecard run --all`` with ``SCORECARD_LAST_MONTH`` = the month before: every
   export ingested, every dbt model built from empty, published.
3. The warehouse directory and ``DAGSTER_HOME`` are copied aside (untimed): the state in which the
   month arrives.

Each repeat (``--repeat``, default 3) first restores that copy (untimed), so every repeat replays the
same delivery into the same warehouse:

4. **one-month scheduled refresh**: the held-back files land in the landing zone,
   ``SCORECARD_LAST_MONTH`` becomes the end month, and ``scorecard run --period <end-month>`` runs:
   what the monthly schedule launches (the new files ingested, the quality gates, the month and its
   restatement window recomputed, published).
5. **nothing-new re-run**: the same command again, nothing having changed (a retried schedule).
6. **full refresh**: ``scorecard run --all`` on that warehouse (incremental models rebuilt, every month
   recomputed, published); never ``--force``. Before the next repeat the month's files go back out.

Then, with every file in the landing zone:

7. **plain DuckDB baseline** (``--repeat`` times): a ``python -c`` child runs ``baseline_measures.sql``
   (next to this file; its header says what it reproduces) in an in-memory DuckDB. It reads the
   landing files directly and computes every measure of the demo company at company level with the
   dbt models' definitions (quarantine rules and staging de-duplication included): the monthly ones
   per month, the quarterly ones per fiscal quarter, over the whole history. The same numbers with
   nothing else: no ledger, quality gates, dbt tests, segments, targets, scores, history or publishing.
8. **agreement**: the baseline's values against ``scorecard.measure_values`` in the published file
   left by the last full refresh: company rows (``segment_dimension`` and ``segment_value`` 'all'), at
   each measure's grain, every period the file reports (periods it does not report, such as months
   before a measure's ``effective_from``, are counted, not compared). A pair agrees when both are
   null or they are within 1e-9 relative. Any pair that does not is listed loudly and the benchmark
   exits 1: the ratios only mean something when the baseline computes the same numbers.

How to read the figures. Each timed step is one process, timed end to end: Python start-up and
imports included, for the CLI and the baseline alike. A run refused because another run holds the
warehouse or dbt-project lock (exit 75) is retried after 30 s and not counted. Per step:

- wall seconds: min / median / max over the repeats;
- CPU seconds: the median of user + system time of the process and of the processes it waited for
  (``dbt build`` runs as a subprocess of the CLI); above the wall time when DuckDB uses several cores;
- peak RSS (MiB): the largest resident set of any one process of the step (the CLI or its dbt
  subprocess, not their sum), the largest over the repeats. It comes from ``os.wait4`` on the step's
  pid, called by a small launcher process, because on Linux a child's ``ru_maxrss`` starts at the peak
  RSS of the process that spawned it, and this one holds the generated demo;
- "/base": the step's median wall and median CPU divided by the baseline's.

The one-month refresh and the re-run should cost about the same whatever the history; the baseline
and the full refresh grow with it, so compare the ratios across ``--months``. On a shared machine,
compare only figures from one invocation. The last table is Markdown for the README: one row per
``--months`` (medians; peak RSS of the three CLI steps; and of the baseline).
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import yaml

from orchestration.config.periods import add_months
from orchestration.demo import generate_demo
from orchestration.settings import REPO_ROOT
from tests.publish.helpers import hold_back

BASELINE_SQL = Path(__file__).with_name("baseline_measures.sql")
PUBLISHED_FILE = Path("published") / "bsc_published.duckdb"
STRATEGY_FILE = REPO_ROOT / "scorecard_config" / "strategy.yml"
MEASURES_FILE = REPO_ROOT / "scorecard_config" / "measures.yml"
GRAIN_OF_FREQUENCY = {"monthly": "month", "quarterly": "quarter"}
GRAIN_MONTHS = {"month": 1, "quarter": 3, "year": 12}
LOCKED_EXIT_CODE = 75
LOCK_RETRY_SECONDS = 30
RELATIVE_TOLERANCE = 1e-9
SHOWN_DISAGREEMENTS = 40

REFRESH, RERUN, FULL, BASELINE = (
    "one-month refresh",
    "nothing-new re-run",
    "full refresh",
    "plain DuckDB baseline",
)
CLI_STEPS = (REFRESH, RERUN, FULL)

# Starts one measured command and reports what it cost: wall seconds, CPU seconds (user + system) and
# peak RSS (KiB) of that process, from os.wait4 on its pid, into the file named by argv[1]; exits with
# its exit code. The benchmark runs every measured command through it because Linux carries a parent's
# peak RSS over to a child it spawns (exec keeps the larger of the old and new address space's
# high-water mark in ru_maxrss): spawned from the benchmark, which has held the generated demo in
# memory, every child would report at least that. Spawned from this small process, the floor is a few MiB.
LAUNCHER = """
import os, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(report, "w", encoding="utf-8") as out:
    out.write(f"{wall!r} {usage.ru_utime + usage.ru_stime!r} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""

# The baseline's child process: DuckDB runs the resolved SQL file, the result goes to a Parquet file.
BASELINE_CHILD = """
import sys
import duckdb
script, output = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(open(script, encoding="utf-8").read())
con.execute("COPY baseline_measures TO '" + output.replace("'", "''") + "' (FORMAT parquet)")
"""


@dataclass(frozen=True)
class Sample:
    """One timed child process: wall seconds, CPU seconds (user + system) and peak RSS in MiB."""

    wall: float
    cpu: float
    peak_rss_mib: float


@dataclass
class Agreement:
    """The baseline against the published measure_values, pair by (measure, grain, period)."""

    compared: int = 0
    agreeing: int = 0
    measures: dict[str, str] = field(default_factory=dict)  # measure_id -> grain
    differences: list[str] = field(default_factory=list)
    unpublished: dict[str, int] = field(default_factory=dict)  # baseline periods the file does not report

    @property
    def ok(self) -> bool:
        return self.compared > 0 and not self.differences


@dataclass
class MonthsResult:
    """Everything measured for one ``--months`` value."""

    months: int
    first: date
    end: date
    source_rows: int
    source_files: int
    held_files: int
    generate_seconds: float
    initial_load: Sample
    samples: dict[str, list[Sample]]
    agreement: Agreement
    warehouse_mib: float


def _month_key(month: date) -> str:
    return f"{month:%Y-%m}"


def _measure(command: list[str], env: dict[str, str], log: Path) -> tuple[int, Sample]:
    """Run ``command`` through ``LAUNCHER``, output to ``log``; its exit code and what it cost."""
    report = log.with_name("measured.txt")
    report.unlink(missing_ok=True)
    with log.open("a") as out:
        out.write(f"\n$ {shlex.join(command)}\n")
        out.flush()
        launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(report), *command]
        code = subprocess.run(launcher, env=env, stdout=out, stderr=subprocess.STDOUT, check=False).returncode
    if not report.exists():
        raise SystemExit(f"could not start {command[0]} (exit {code}); see {log}")
    wall, cpu, peak_kib = report.read_text(encoding="utf-8").split()
    return code, Sample(float(wall), float(cpu), int(peak_kib) / 1024)


def _report_sample(label: str, sample: Sample, what: str) -> None:
    print(
        f"  {label:<22} {sample.wall:8.1f} s wall {sample.cpu:8.1f} s CPU "
        f"{sample.peak_rss_mib:7,.0f} MiB   {what}",
        flush=True,
    )


def _scorecard(label: str, args: list[str], env: dict[str, str], log: Path) -> Sample:
    """One ``scorecard`` command in its own process; waits and retries while another run holds the lock."""
    command = [str(Path(sys.executable).with_name("scorecard")), *args]
    while True:
        code, sample = _measure(command, env, log)
        if code != LOCKED_EXIT_CODE:
            break
        print(
            f"  {label}: another run holds the lock (exit {code}); not counted, retrying in "
            f"{LOCK_RETRY_SECONDS} s",
            flush=True,
        )
        time.sleep(LOCK_RETRY_SECONDS)
    if code != 0:
        raise SystemExit(f"{label} failed (exit {code}); see {log}")
    _report_sample(label, sample, f"scorecard {' '.join(args)}")
    return sample


def _baseline(script: Path, output: Path, env: dict[str, str], log: Path) -> Sample:
    code, sample = _measure([sys.executable, "-c", BASELINE_CHILD, str(script), str(output)], env, log)
    if code != 0:
        raise SystemExit(f"the plain DuckDB baseline failed (exit {code}); see {log}")
    _report_sample(BASELINE, sample, f"python -c (duckdb) {script.name}")
    return sample


def _fiscal_year_start_month() -> int:
    strategy = yaml.safe_load(STRATEGY_FILE.read_text(encoding="utf-8"))
    return int(strategy["company"]["fiscal_year_start_month"])


def _resolve_baseline_sql(landing: Path, first: date, end: date, target: Path) -> Path:
    """``baseline_measures.sql`` with its placeholders replaced, written to ``target``."""
    sql = BASELINE_SQL.read_text(encoding="utf-8")
    for placeholder, value in {
        "{landing}": str(landing).replace("'", "''"),
        "{first_month}": first.isoformat(),
        "{last_month}": end.isoformat(),
        "{fiscal_year_start_month}": str(_fiscal_year_start_month()),
    }.items():
        sql = sql.replace(placeholder, value)
    target.write_text(sql, encoding="utf-8")
    return target


def _values_agree(baseline: float | None, published: float | None) -> bool:
    if baseline is None or published is None:
        return baseline is None and published is None
    return math.isclose(baseline, published, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


@dataclass(frozen=True)
class MeasureConfig:
    """What measures.yml says about when and at which grain a measure is reported."""

    grain: str
    effective_from: date
    retired_on: date | None

    def reports(self, grain: str, period_start: date) -> bool:
        """Whether the scorecard publishes this period (as scorecard_engine's is_active_measure_period)."""
        period_end = add_months(period_start, GRAIN_MONTHS[grain]) - timedelta(days=1)
        return period_end >= self.effective_from and (
            self.retired_on is None or period_start < self.retired_on
        )


def _as_date(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _measure_configs() -> dict[str, MeasureConfig]:
    measures = yaml.safe_load(MEASURES_FILE.read_text(encoding="utf-8"))["measures"]
    return {
        measure["id"]: MeasureConfig(
            GRAIN_OF_FREQUENCY.get(measure["frequency"], measure["frequency"]),
            _as_date(measure["effective_from"]),
            _as_date(measure.get("retired_on")),
        )
        for measure in measures
    }


def _agreement(baseline_file: Path, published_file: Path) -> Agreement:
    """Compare every (measure, grain, period) the baseline computes with the published company rows.

    Every period the published file reports for a measure the baseline computes is compared, and every
    period measures.yml says it should report; baseline periods outside the measure's active dates are
    only counted.
    """
    con = duckdb.connect()
    try:
        baseline = {
            (measure, grain, period): value
            for measure, grain, period, value in con.execute(
                "SELECT measure_id, period_grain, period_start, value FROM read_parquet(?)",
                [str(baseline_file)],
            ).fetchall()
        }
        con.execute(f"ATTACH '{str(published_file).replace(chr(39), chr(39) * 2)}' AS published (READ_ONLY)")
        published = {
            (measure, grain, period): value
            for measure, grain, period, value in con.execute(
                """
                SELECT measure_id, period_grain, period_start, value
                FROM published.scorecard.measure_values
                WHERE segment_dimension = 'all' AND segment_value = 'all'
                """
            ).fetchall()
        }
    finally:
        con.close()
    agreement = Agreement(measures={measure: grain for measure, grain, _ in baseline})
    configs = _measure_configs()
    for measure, grain in sorted(agreement.measures.items()):
        config = configs.get(measure)
        if config is None:
            agreement.differences.append(f"{measure}: not a measure of scorecard_config/measures.yml")
        elif config.grain != grain:
            agreement.differences.append(
                f"{measure}: the baseline computes it per {grain}, measures.yml reports it per {config.grain}"
            )
    for key in sorted(set(baseline) | {key for key in published if agreement.measures.get(key[0]) == key[1]}):
        measure, grain, period = key
        if key in published:
            agreement.compared += 1
            if key not in baseline:
                agreement.differences.append(
                    f"{measure} {grain} {period}: published {published[key]!r}, no baseline row"
                )
            elif _values_agree(baseline[key], published[key]):
                agreement.agreeing += 1
            else:
                agreement.differences.append(
                    f"{measure} {grain} {period}: published {published[key]!r}, baseline {baseline[key]!r}"
                )
        elif measure in configs and configs[measure].reports(grain, period):
            agreement.compared += 1
            agreement.differences.append(
                f"{measure} {grain} {period}: baseline {baseline[key]!r}, no published company row"
            )
        else:
            agreement.unpublished[measure] = agreement.unpublished.get(measure, 0) + 1
    return agreement


def _print_agreement(months: int, agreement: Agreement) -> None:
    grains: dict[str, list[str]] = {}
    for measure, grain in sorted(agreement.measures.items()):
        grains.setdefault(grain, []).append(measure)
    covered = "; ".join(
        f"{len(ids)} at {grain} grain: {', '.join(ids)}" for grain, ids in sorted(grains.items())
    )
    print(f"  baseline covers {len(agreement.measures)} measures ({covered})")
    if agreement.unpublished:
        skipped = ", ".join(f"{measure} {count}" for measure, count in sorted(agreement.unpublished.items()))
        print(f"  baseline periods outside the measure's active dates (not compared): {skipped}")
    if agreement.ok:
        print(
            f"  agreement: all {agreement.compared:,} (measure, period) pairs of the published company "
            f"rows agree within {RELATIVE_TOLERANCE:g} relative",
            flush=True,
        )
        return
    banner = "!" * 100
    print(banner)
    print(
        f"  DISAGREEMENT at {months} months: {len(agreement.differences):,} of {agreement.compared:,} "
        "(measure, period) pairs differ between the baseline and the published file. The baseline does "
        "not compute the same numbers, so its timings are no yardstick until this is fixed:"
    )
    for line in agreement.differences[:SHOWN_DISAGREEMENTS]:
        print(f"    {line}")
    if len(agreement.differences) > SHOWN_DISAGREEMENTS:
        print(f"    … and {len(agreement.differences) - SHOWN_DISAGREEMENTS:,} more")
    print(banner, flush=True)


def _environment(
    landing: Path, warehouse: Path, dagster_home: Path, first: date, last: date, engine: str
) -> dict[str, str]:
    """The inherited environment without any SCORECARD_* setting, then this benchmark's own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCORECARD_")}
    return env | {
        "SCORECARD_ENGINE": engine,
        "SCORECARD_LANDING_DIR": str(landing),
        "SCORECARD_WAREHOUSE_DIR": str(warehouse),
        "SCORECARD_FIRST_MONTH": _month_key(first),
        "SCORECARD_LAST_MONTH": _month_key(last),
        "DAGSTER_HOME": str(dagster_home),
    }


def _restore(saved: Path, targets: list[Path]) -> None:
    for target in targets:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(saved / target.name, target, symlinks=True)


def _deliver(files: list[Path], landing: Path, held: Path) -> None:
    for path in files:
        shutil.move(held / path.relative_to(landing), path)


def _bench_months(months: int, args: argparse.Namespace, end: date, work: Path) -> MonthsResult:
    first, previous = add_months(end, 1 - months), add_months(end, -1)
    landing, warehouse, dagster_home = work / "landing", work / "warehouse", work / "dagster_home"
    held, saved, log = work / "held", work / "saved", work / "runs.log"
    dagster_home.mkdir(parents=True)
    print(
        f"\n== {months} months ({_month_key(first)}..{_month_key(end)}), scale {args.scale:g} ==", flush=True
    )

    started = time.perf_counter()
    summary = generate_demo(landing, scale=args.scale, months=months, end_month=end)
    generate_seconds = time.perf_counter() - started
    delivery = hold_back(landing, _month_key(end), held)
    if not delivery:
        raise SystemExit(f"the demo wrote no per-month file for {_month_key(end)}; nothing to deliver")
    print(
        f"  generate               {generate_seconds:8.1f} s wall   {summary.total_rows:,} rows in "
        f"{summary.total_files} files; {len(delivery)} files of {_month_key(end)} held back",
        flush=True,
    )
    env = _environment(landing, warehouse, dagster_home, first, previous, args.engine)
    initial_load = _scorecard("initial load", ["run", "--all"], env, log)
    for directory in (warehouse, dagster_home):
        shutil.copytree(directory, saved / directory.name, symlinks=True)

    env["SCORECARD_LAST_MONTH"] = _month_key(end)
    period = ["run", "--period", _month_key(end)]
    samples: dict[str, list[Sample]] = {step: [] for step in (*CLI_STEPS, BASELINE)}
    for repeat in range(args.repeat):
        print(f"  -- repeat {repeat + 1} of {args.repeat}", flush=True)
        if repeat:
            hold_back(landing, _month_key(end), held)
        _restore(saved, [warehouse, dagster_home])
        _deliver(delivery, landing, held)
        samples[REFRESH].append(_scorecard(REFRESH, period, env, log))
        samples[RERUN].append(_scorecard(RERUN, period, env, log))
        samples[FULL].append(_scorecard(FULL, ["run", "--all"], env, log))

    script = _resolve_baseline_sql(landing, first, end, work / BASELINE_SQL.name)
    output = work / "baseline_measures.parquet"
    for _ in range(args.repeat):
        samples[BASELINE].append(_baseline(script, output, env, log))
    agreement = _agreement(output, warehouse / PUBLISHED_FILE)
    _print_agreement(months, agreement)
    warehouse_bytes = sum(path.stat().st_size for path in warehouse.rglob("*.duckdb"))
    return MonthsResult(
        months=months,
        first=first,
        end=end,
        source_rows=summary.total_rows,
        source_files=summary.total_files,
        held_files=len(delivery),
        generate_seconds=generate_seconds,
        initial_load=initial_load,
        samples=samples,
        agreement=agreement,
        warehouse_mib=warehouse_bytes / 2**20,
    )


def _median(samples: list[Sample], attribute: str) -> float:
    return statistics.median(getattr(sample, attribute) for sample in samples)


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:,.1f}x" if baseline > 0 else "n/a"


def _seconds(value: float) -> str:
    return f"{value:,.1f} s" if value < 10 else f"{value:,.0f} s"


def _rows(count: int) -> str:
    return f"{count / 1e6:,.1f} M" if count >= 100_000 else f"{count:,}"


def _memory(mib: float) -> str:
    return f"{mib / 1024:,.1f} GiB" if mib >= 1024 else f"{mib:,.0f} MiB"


def _print_text_table(result: MonthsResult) -> None:
    baseline = result.samples[BASELINE]
    base_wall, base_cpu = _median(baseline, "wall"), _median(baseline, "cpu")
    print(
        f"\n{result.months} months ({_month_key(result.first)}..{_month_key(result.end)}): "
        f"{result.source_rows:,} source rows in {result.source_files} files, {result.held_files} of them "
        f"delivered by the refresh; warehouse files {result.warehouse_mib:,.0f} MiB after the full refresh"
    )
    header = (
        f"{'step':<24}{'runs':>5}{'wall min':>10}{'median':>9}{'max':>9}{'CPU med':>10}"
        f"{'peak RSS':>11}{'wall/base':>12}{'CPU/base':>11}"
    )
    print(header)
    print("-" * len(header))
    print(f"{'generate (setup)':<24}{1:>5}{'':>10}{result.generate_seconds:>9.1f}")
    once = result.initial_load
    print(
        f"{'initial load (setup)':<24}{1:>5}{'':>10}{once.wall:>9.1f}{'':>9}{once.cpu:>10.1f}"
        f"{once.peak_rss_mib:>7,.0f} MiB"
    )
    for step in (*CLI_STEPS, BASELINE):
        samples = result.samples[step]
        walls = [sample.wall for sample in samples]
        wall, cpu = statistics.median(walls), _median(samples, "cpu")
        peak = max(sample.peak_rss_mib for sample in samples)
        print(
            f"{step:<24}{len(samples):>5}{min(walls):>10.1f}{wall:>9.1f}{max(walls):>9.1f}{cpu:>10.1f}"
            f"{peak:>7,.0f} MiB{_ratio(wall, base_wall):>12}{_ratio(cpu, base_cpu):>11}"
        )


def _print_markdown(results: list[MonthsResult], args: argparse.Namespace) -> None:
    print(
        f"\nMarkdown for the README ({args.engine}, scale {args.scale:g}, medians of {args.repeat} "
        "repeat(s); seconds; ratios are the median wall; CPU time, each over the baseline's):\n"
    )
    print(
        "| history | source rows | one-month refresh (`run --period`) | nothing-new re-run | "
        "full refresh (`run --all`) | plain DuckDB baseline | ratio to baseline: refresh / re-run / full "
        "(wall; CPU) | peak RSS (CLI; baseline) |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for result in results:
        medians = {step: _median(result.samples[step], "wall") for step in (*CLI_STEPS, BASELINE)}
        cpu = {step: _median(result.samples[step], "cpu") for step in (*CLI_STEPS, BASELINE)}
        wall_ratios = " / ".join(_ratio(medians[step], medians[BASELINE]) for step in CLI_STEPS)
        cpu_ratios = " / ".join(_ratio(cpu[step], cpu[BASELINE]) for step in CLI_STEPS)
        cli_peak = max(sample.peak_rss_mib for step in CLI_STEPS for sample in result.samples[step])
        baseline_peak = max(sample.peak_rss_mib for sample in result.samples[BASELINE])
        print(
            f"| {result.months} months | {_rows(result.source_rows)} | {_seconds(medians[REFRESH])} | "
            f"{_seconds(medians[RERUN])} | {_seconds(medians[FULL])} | {_seconds(medians[BASELINE])} | "
            f"{wall_ratios}; {cpu_ratios} | {_memory(cli_peak)}; {_memory(baseline_peak)} |"
        )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _history(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"needs at least 2 months (one to load, one to deliver), got {value}"
        )
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=10.0, help="Demo volume multiplier (default 10)")
    parser.add_argument(
        "--months", type=_history, nargs="+", default=[36], help="History lengths to measure (default 36)"
    )
    parser.add_argument("--repeat", type=_positive, default=3, help="Timed repeats of each step (default 3)")
    parser.add_argument("--end-month", default="2026-10", help="YYYY-MM: the month the schedule refreshes")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch directory and print it")
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="What runs the dbt models in every scorecard step (SCORECARD_ENGINE; default duckdb)",
    )
    args = parser.parse_args()
    year, month = map(int, args.end_month.split("-"))
    end = date(year, month, 1)

    tmp = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    failed: list[int] = []
    try:
        results = []
        for months in dict.fromkeys(args.months):
            results.append(_bench_months(months, args, end, tmp / f"months-{months}"))
            if not args.keep:  # the next history needs the disk more than this one's files
                shutil.rmtree(tmp / f"months-{months}", ignore_errors=True)
        for result in results:
            _print_text_table(result)
        _print_markdown(results, args)
        failed = [result.months for result in results if not result.agreement.ok]
        if failed:
            print(
                f"\nTHE BASELINE DISAGREES WITH THE PUBLISHED FILE at {', '.join(map(str, failed))} months: "
                "see the lists above; the ratios compare unlike work.",
                flush=True,
            )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
