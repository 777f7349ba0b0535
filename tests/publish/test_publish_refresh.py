"""Real refreshes in real processes: idempotency, readers during a refresh, restatements, SIGKILL.

Every test clones the session's published demo deployment and drives ``scorecard run`` as a
subprocess, exactly as a user or a scheduler would.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.config.periods import add_months, parse_month
from orchestration.defs.config import SCORECARD_CONFIG_KEY
from orchestration.defs.publish import PUBLISHED_KEY
from orchestration.publish import HOLD_ENV, storage_version, temp_file_pattern
from orchestration.report import render_report
from tests.publish.conftest import FIRST_MONTH, LAST_MONTH, Deployment, kill_group, wait_for
from tests.publish.helpers import first_difference, read_tables, sha256, table_counts
from tests.report.helpers import markdown_section

pytestmark = pytest.mark.slow

READER = Path(__file__).with_name("reader_process.py")
# Columns that say when a row was computed, not what it says: a re-run may change only these.
RUN_METADATA = {"measure_values": {"computed_at"}, "publications": {"run_id", "published_at", "run_seq"}}
PUBLISH_ONLY = """
import json, sys
from pathlib import Path
from orchestration.publish import contract_tables, publish_scorecard
from orchestration.settings import get_settings
settings = get_settings()
manifest = json.loads((settings.dbt_project_dir / "target" / "manifest.json").read_text())
tables = contract_tables(manifest)
publish_scorecard(settings.warehouse_path, settings.published_path, tables, run_id=sys.argv[1])
"""


def _leftovers(deployment: Deployment) -> list[Path]:
    return sorted(deployment.published.parent.glob(temp_file_pattern(deployment.published)))


def _publications(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT run_id FROM scorecard.publications ORDER BY published_at").fetchall()
    return [run for (run,) in rows]


@dataclass(frozen=True)
class Rerun:
    """The same month refreshed again on the same inputs, with two readers watching the published file."""

    before: Deployment
    after: Deployment
    held: list[dict]
    reconnected: list[dict]


@pytest.fixture(scope="module")
def rerun(baseline: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Rerun:
    deployment = baseline.clone(tmp_path_factory.mktemp("rerun") / "deployment")
    watch = deployment.root / "readers"
    watch.mkdir()
    stop = watch / "stop"
    readers = {}
    for mode in ("hold", "reconnect"):
        out, ready = watch / f"{mode}.jsonl", watch / f"{mode}.ready"
        process = subprocess.Popen(
            [sys.executable, str(READER), str(deployment.published), mode, str(out), str(ready), str(stop)]
        )
        readers[mode] = (process, out, ready)
    for process, _, ready in readers.values():
        while not ready.exists():
            assert process.poll() is None, "a reader could not open the published file"
            time.sleep(0.1)
    try:
        # --force: with nothing new the run would stop before building (test_nothing_new.py); here the
        # point is what a real rebuild on the same inputs publishes.
        deployment.run("run", "--period", LAST_MONTH, "--force", log_name="rerun")
        time.sleep(0.5)  # one more read of the new file by the reconnecting reader
    finally:
        stop.write_text("stop")
        exits = [process.wait() for process, _, _ in readers.values()]
    assert exits == [0, 0], "a reader failed while the refresh ran"
    observations = {
        mode: [json.loads(line) for line in out.read_text().splitlines()]
        for mode, (_, out, _) in readers.items()
    }
    return Rerun(baseline, deployment, observations["hold"], observations["reconnect"])


def test_rerunning_a_month_on_the_same_inputs_publishes_identical_rows(rerun):
    before = read_tables(rerun.before.published, ignore=RUN_METADATA)
    after = read_tables(rerun.after.published, ignore=RUN_METADATA)
    assert before.keys() == after.keys()
    assert {"measure_values", "measure_value_history", "restatements", "scorecard"} <= before.keys()
    for table in sorted(before.keys() - {"publications"}):
        difference = first_difference(before[table], after[table])
        assert difference is None, f"scorecard.{table} changed on a re-run with the same inputs: {difference}"
    assert len(_publications(rerun.after.published)) == 2
    assert after["restatements"] == []


def test_readers_during_a_refresh_see_the_old_or_the_new_file_whole(rerun):
    old_run, new_run = _publications(rerun.after.published)
    assert rerun.held and rerun.reconnected
    for observation in rerun.held + rerun.reconnected:
        assert observation["counted"] == observation["recorded"], "a reader saw a half-published state"
    # The open dashboard kept its snapshot for the whole refresh, and did not block it.
    assert {observation["run_id"] for observation in rerun.held} == {old_run}
    # A reader that reconnects moves from the old file to the new one, never back.
    runs = [observation["run_id"] for observation in rerun.reconnected]
    assert set(runs) == {old_run, new_run}
    assert runs == sorted(runs, key=[old_run, new_run].index)


def _months(first: str, last: str) -> list[str]:
    month, end, months = parse_month(first, "first"), parse_month(last, "last"), []
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = add_months(month, 1)
    return months


def _partitioned_assets(instance: dg.DagsterInstance) -> list[dg.AssetKey]:
    """Every month-partitioned asset the runs materialised: the dbt assets and the published file.

    Ingestion and the config are not partitioned (see orchestration.defs.schedules).
    """
    keys = [key for key in instance.get_asset_keys() if key.path[0] != "raw" and key != SCORECARD_CONFIG_KEY]
    assert PUBLISHED_KEY in keys and dg.AssetKey(["scorecard", "measure_values"]) in keys
    return keys


def test_a_first_build_records_every_month_it_built_as_materialized(baseline):
    # The baseline is `scorecard run --period 2025-05` on a new warehouse: dbt builds every month.
    with dg.DagsterInstance.from_config(str(baseline.root / "dagster_home")) as instance:
        months = set(_months(FIRST_MONTH, LAST_MONTH))
        missing = {
            key.to_user_string(): sorted(months - instance.get_materialized_partitions(key))
            for key in _partitioned_assets(instance)
        }
    assert {key: gaps for key, gaps in missing.items() if gaps} == {}


def test_a_monthly_refresh_records_the_months_its_restatement_window_rewrote(rerun):
    with dg.DagsterInstance.from_config(str(rerun.after.root / "dagster_home")) as instance:
        (run,) = instance.get_runs(limit=1)
        assert run.tags.get("dagster/partition") == LAST_MONTH
        assets = _partitioned_assets(instance)
        records = instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION, limit=100_000
        ).records
    months: dict[str, set[str | None]] = {}
    for record in records:
        materialization = record.event_log_entry.dagster_event.event_specific_data.materialization
        months.setdefault(materialization.asset_key.to_user_string(), set()).add(materialization.partition)
    # 2025-05 and the three months before it were recomputed, for every partitioned asset.
    window = set(_months("2025-02", LAST_MONTH))
    assert {key.to_user_string(): months.get(key.to_user_string()) for key in assets} == {
        key.to_user_string(): window for key in assets
    }
    # The cost in the event log: one materialisation per asset and recomputed month, nothing more.
    unpartitioned = {key for key, partitions in months.items() if partitions == {None}}
    assert len(records) == len(assets) * len(window) + len(unpartitioned)


def _correct_csat_export(landing: Path, month: str, responses: int) -> list[str]:
    """Re-export one month of CSAT answers with ``responses`` satisfied answers (4 or 5) lowered to 1."""
    path = landing / "support" / "csat_responses" / f"{month}.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    satisfied = [row for row in rows if row["score"] in {"4", "5"}][:responses]
    assert len(satisfied) == responses, f"{path} has fewer than {responses} satisfied answers"
    for row in satisfied:
        row["score"] = "1"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [row["response_id"] for row in satisfied]


@dataclass(frozen=True)
class LateCorrection:
    """A closed month's CSAT export re-delivered with corrections, refreshed by a monthly run."""

    deployment: Deployment
    corrected: list[str]


@pytest.fixture(scope="module")
def late_correction(baseline: Deployment, tmp_path_factory: pytest.TempPathFactory) -> LateCorrection:
    deployment = baseline.clone(tmp_path_factory.mktemp("late_data") / "deployment", own_landing=True)
    corrected = _correct_csat_export(deployment.landing, "2025-03", responses=5)
    deployment.run("run", "--period", LAST_MONTH, log_name="late_data")
    return LateCorrection(deployment, corrected)


def test_a_late_correction_to_a_closed_month_is_recorded_as_a_restatement(
    baseline, late_correction, tmp_path
):
    deployment, corrected = late_correction.deployment, late_correction.corrected

    key = "measure_id = 'support_csat' AND segment_dimension = 'all' AND segment_value = 'all'"
    month = f"{key} AND period_grain = 'month' AND period_start = DATE '2025-03-01'"
    with duckdb.connect(str(baseline.published), read_only=True) as old:
        ((as_reported,),) = old.execute(
            f"SELECT value FROM scorecard.measure_values WHERE {month}"
        ).fetchall()
        ((first_published_at,),) = old.execute(
            "SELECT max(published_at) FROM scorecard.publications"
        ).fetchall()
    with duckdb.connect(str(deployment.published), read_only=True) as new:
        ((restated,),) = new.execute(f"SELECT value FROM scorecard.measure_values WHERE {month}").fetchall()
        assert restated < as_reported
        rows = new.execute(
            f"""
            SELECT as_reported_value, restated_value, change, reason, restated_run_id
            FROM scorecard.restatements WHERE {month}
            """
        ).fetchall()
        latest_run = new.execute(
            "SELECT run_id FROM scorecard.publications ORDER BY published_at DESC LIMIT 1"
        ).fetchall()[0][0]
        assert rows == [
            (as_reported, restated, pytest.approx(restated - as_reported), "data_changed", latest_run)
        ]
        # The fiscal quarter holding March (Feb-Apr) had closed: restated too. The fiscal year is still
        # running at 2025-05, so its change is not a restatement.
        grains = new.execute(
            f"SELECT DISTINCT period_grain FROM scorecard.restatements WHERE {key} ORDER BY 1"
        ).fetchall()
        assert grains == [("month",), ("quarter",)]
        # Only what the corrected file touches is restated.
        assert new.execute("SELECT DISTINCT measure_id FROM scorecard.restatements").fetchall() == [
            ("support_csat",)
        ]
        # As reported stays answerable: the history as of the first publication gives the old value.
        as_of = new.execute(
            f"""
            SELECT value FROM scorecard.measure_value_history
            WHERE {month} AND dbt_valid_from <= ? AND (dbt_valid_to > ? OR dbt_valid_to IS NULL)
            """,
            [first_published_at, first_published_at],
        ).fetchall()
        assert as_of == [(as_reported,)]
    # Which load brought the change: the corrected rows came in with a load of the restating run.
    with duckdb.connect(str(deployment.warehouse), read_only=True) as warehouse:
        corrected_by = warehouse.execute(
            """
            SELECT DISTINCT loads.run_id, loads.system, loads."table"
            FROM raw.support__csat_responses AS responses
            JOIN raw._loads AS loads ON responses._load_id = loads.load_id
            WHERE list_contains(?, responses.response_id) AND responses.score = 1
            """,
            [corrected],
        ).fetchall()
    assert corrected_by == [(latest_run, "support", "csat_responses")]
    # The restatement is news in the next report: the run's summary and the period report list it.
    summary = " ".join(deployment.output("late_data").split())
    assert "Restated: 2 published values of 2025-03, FY2026-Q1 changed since the last report" in summary
    report = render_report(deployment.published, period=LAST_MONTH, out_dir=tmp_path / "report")
    restated = markdown_section(report.markdown.read_text(encoding="utf-8"), "Restated since the last report")
    assert "| Support satisfaction (CSAT) | 2025-03 | company |" in restated


def test_an_incremental_refresh_publishes_what_a_full_refresh_publishes(late_correction, tmp_path):
    # The late correction was refreshed incrementally: its month and the restatement window were
    # recomputed, the months before kept. Rebuilding every month from the same inputs (the same
    # landing zone and ledger) must publish the same rows, history and restatements included.
    incremental = late_correction.deployment
    full = incremental.clone(tmp_path / "full")
    full.run("run", "--all", log_name="full_refresh")
    before = read_tables(incremental.published, ignore=RUN_METADATA)
    after = read_tables(full.published, ignore=RUN_METADATA)
    assert before.keys() == after.keys()
    for table in sorted(before.keys() - {"publications"}):
        difference = first_difference(before[table], after[table])
        assert difference is None, f"scorecard.{table}: a full refresh publishes otherwise: {difference}"
    assert len(_publications(full.published)) == len(_publications(incremental.published)) + 1


def test_a_refresh_tests_only_the_rows_loaded_since_the_last_published_build(late_correction):
    # The correction's run ran the definitions of the build behind the last publication, so its
    # staging tests read only rows loaded after that build started (tests/dbt/test_new_rows.py shows
    # what the filter does); rows loaded before passed those same tests there.
    deployment = late_correction.deployment
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        published = [
            run
            for (run,) in con.execute(
                "SELECT run_id FROM publish.publications ORDER BY published_at"
            ).fetchall()
        ]
        runs = {
            run_id: (started_at, code)
            for run_id, started_at, code in con.execute(
                "SELECT run_id, started_at, code_digest FROM publish.runs"
            ).fetchall()
        }
    previous, latest = published[-2], published[-1]
    assert runs[latest][1] == runs[previous][1], "the same definitions ran both builds"
    with dg.DagsterInstance.from_config(str(deployment.root / "dagster_home")) as instance:
        messages = [entry.user_message for entry in instance.all_logs(latest)]
    expected = f"Tests marked new_rows check rows loaded after {runs[previous][0]:%Y-%m-%d %H:%M:%S} UTC"
    assert any(message.startswith(expected) for message in messages), [
        message for message in messages if "Tests marked" in message or "dbt window" in message
    ]


def _publish_only(deployment: Deployment, run_id: str, hold: str) -> subprocess.Popen:
    marker = deployment.root / f"{hold}.marker"
    return subprocess.Popen(
        [sys.executable, "-c", PUBLISH_ONLY, run_id],
        env=deployment.env(**{HOLD_ENV: f"{hold}:{marker}"}),
        start_new_session=True,
    )


def test_sigkill_at_any_point_leaves_the_published_file_and_the_next_run_recovers(baseline, tmp_path):
    deployment = baseline.clone(tmp_path / "deployment")
    published_digest = sha256(deployment.published)
    raw_counts = _raw_counts(deployment.warehouse)

    # Kills at seeded random moments of whole runs: one while it starts (definitions, config,
    # ingestion), one while dbt writes the warehouse. The publish step is held at its start, so a slow
    # machine never turns a late kill into a finished publish.
    rng = random.Random(20261127)
    wal = deployment.warehouse.with_name(deployment.warehouse.name + ".wal")
    wal_after_kill = []
    for anchor, delay in (("start", rng.uniform(3, 25)), ("dbt", rng.uniform(2, 30))):
        log_name = f"killed-at-{anchor}"
        marker = deployment.root / f"{log_name}.marker"
        earlier_logs = set(deployment.run_logs.glob("run-*.log"))
        process = deployment.start(
            "run",
            "--period",
            LAST_MONTH,
            "--force",
            log_name=log_name,
            **{HOLD_ENV: f"before_write:{marker}"},
        )
        if anchor == "dbt":
            while not (_dbt_started(deployment, earlier_logs) or marker.exists()):
                assert process.poll() is None, deployment.output(log_name)
                time.sleep(0.2)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and not marker.exists():
            assert process.poll() is None, deployment.output(log_name)
            time.sleep(0.1)
        kill_group(process)
        wal_after_kill.append(wal.exists())
        assert sha256(deployment.published) == published_digest
        # The working file survives: DuckDB replays its write-ahead log when the file is next opened.
        assert _raw_counts(deployment.warehouse) == raw_counts, f"raw tables changed by the kill at {anchor}"

    # A whole run killed in the middle of publishing: the temp file is written, not yet audited.
    marker = deployment.root / "after_write.marker"
    process = deployment.start(
        "run",
        "--period",
        LAST_MONTH,
        "--force",
        log_name="after_write",
        **{HOLD_ENV: f"after_write:{marker}"},
    )
    wait_for(marker, process, "see after_write.log")
    kill_group(process)
    assert sha256(deployment.published) == published_digest
    assert _leftovers(deployment), "the kill should have left the half-published temp file behind"

    # The publish step alone, killed after its audit, then right after the swap.
    for hold in ("after_audit", "after_replace"):
        process = _publish_only(deployment, f"killed-{hold}", hold)
        wait_for(deployment.root / f"{hold}.marker", process, f"publish-only run held at {hold}")
        kill_group(process)
        if hold == "after_audit":
            assert sha256(deployment.published) == published_digest
    # Killed after the swap: the new file is whole (its counts match its own record) and readable by v1.4.
    assert sha256(deployment.published) != published_digest
    assert storage_version(deployment.published) == "v1.4.0+"
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        recorded = json.loads(
            con.execute(
                "SELECT table_rows FROM scorecard.publications WHERE run_id = 'killed-after_replace'"
            ).fetchall()[0][0]
        )
        assert table_counts(con) == recorded
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        logged = {run for (run,) in con.execute("SELECT run_id FROM publish.publications").fetchall()}
    assert "killed-after_replace" not in logged

    # The next run, a full refresh of all history, recovers everything.
    deployment.run("run", "--all", log_name="recovery")
    assert not _leftovers(deployment)
    assert _raw_counts(deployment.warehouse) == raw_counts
    assert not wal.exists(), (
        f"a write-ahead log was left after the recovery run (after kills: {wal_after_kill})"
    )
    runs = _publications(deployment.published)
    assert runs[-2] == "killed-after_replace" and len(runs) == 3
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        rows = con.execute("SELECT run_id FROM publish.publications ORDER BY published_at").fetchall()
    logged = [run for (run,) in rows]
    assert logged == runs, "the warehouse's publication log was not healed from the published file"
    before = read_tables(baseline.published, ignore=RUN_METADATA)
    after = read_tables(deployment.published, ignore=RUN_METADATA)
    for table in sorted(before.keys() - {"publications"}):
        difference = first_difference(before[table], after[table])
        assert difference is None, (
            f"scorecard.{table} differs after the crashes and a full refresh: {difference}"
        )


def _dbt_started(deployment: Deployment, earlier_logs: set[Path]) -> bool:
    """True once dbt has begun building models in a run started after ``earlier_logs`` were written."""
    new_logs = set(deployment.run_logs.glob("run-*.log")) - earlier_logs
    return any(" START " in log.read_text() for log in new_logs)


def _raw_counts(warehouse: Path) -> dict[str, int]:
    """Rows of every raw source table and of the file ledger (the per-run load log grows by design)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
            "AND (table_name NOT LIKE '\\_%' ESCAPE '\\' OR table_name = '_ingested_files') ORDER BY 1"
        ).fetchall()
        return {
            name: con.execute(f'SELECT count(*) FROM raw."{name}"').fetchall()[0][0] for (name,) in tables
        }
