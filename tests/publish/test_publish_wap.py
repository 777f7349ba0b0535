"""Write-audit-publish on crafted warehouses: what readers see, what a failed audit leaves, the log."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import (
    PublishedTable,
    PublishError,
    RunWindow,
    ensure_log_tables,
    publish_scorecard,
    register_run,
    storage_version,
    sync_publication_log,
    temp_file_pattern,
)
from tests.publish.helpers import (
    CRAFTED_TABLES,
    STORAGE_NUMBER_V1_4,
    craft_warehouse,
    latest_publication,
    sha256,
    storage_number,
    table_counts,
)

READER = Path(__file__).with_name("reader_process.py")


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    warehouse = craft_warehouse(tmp_path / "warehouse" / "warehouse.duckdb")
    return warehouse, tmp_path / "warehouse" / "published" / "bsc_published.duckdb"


def _leftovers(published: Path) -> list[Path]:
    return sorted(published.parent.glob(temp_file_pattern(published)))


def test_publish_writes_a_v1_4_file_with_every_table_and_the_publication(paths):
    warehouse, published = paths
    con = duckdb.connect(str(warehouse))
    window = RunWindow(None, None, 3, False)
    run_seq = register_run(con, "run-a", window)
    con.close()

    result = publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")

    assert result.table_rows == {"measure_values": 3, "restatements": 0}
    assert storage_version(published) == "v1.4.0+"
    assert storage_number(published) == STORAGE_NUMBER_V1_4
    assert not _leftovers(published)
    with duckdb.connect(str(published), read_only=True) as reader:
        assert table_counts(reader) == result.table_rows
        run_id, recorded = latest_publication(reader)
        assert (run_id, recorded) == ("run-a", result.table_rows)
        assert reader.execute("SELECT run_seq FROM scorecard.publications").fetchall() == [(run_seq,)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT run_id, run_seq FROM publish.publications").fetchall() == [("run-a", 1)]


def test_the_file_opens_directly_without_ambiguous_names(paths):
    warehouse, published = paths
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")
    # A BI tool opens the file itself and writes schema-qualified names.
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM scorecard.measure_values").fetchall() == [(3,)]


@pytest.mark.parametrize(
    ("tables", "prepare", "message"),
    [
        (
            CRAFTED_TABLES,
            "INSERT INTO scorecard.measure_values SELECT * FROM scorecard.measure_values LIMIT 1",
            r"scorecard.measure_values has 1 duplicated key\(s\) on \(measure_id, period_start\)",
        ),
        (CRAFTED_TABLES, "DELETE FROM scorecard.measure_values", "scorecard.measure_values is empty"),
        (
            (*CRAFTED_TABLES, PublishedTable("balance_report", ("scorecard_id",))),
            "SELECT 1",
            r"The warehouse has no scorecard.balance_report: dbt did not build them",
        ),
        (
            (PublishedTable("measure_values", ()),),
            "SELECT 1",
            "scorecard.measure_values has no declared key: add a unique or unique_combination_of_columns",
        ),
    ],
    ids=["duplicate-key", "empty-table", "missing-table", "no-key"],
)
def test_a_failed_audit_leaves_the_published_file_untouched(paths, tables, prepare, message):
    warehouse, published = paths
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-good")
    before = sha256(published)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(prepare)

    with pytest.raises(PublishError, match=message):
        publish_scorecard(warehouse, published, tables, run_id="run-bad")

    assert sha256(published) == before
    assert not _leftovers(published)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT run_id FROM publish.publications").fetchall() == [("run-good",)]


def test_stale_temporary_files_are_removed_by_the_next_publish(paths):
    warehouse, published = paths
    published.parent.mkdir(parents=True)
    stale = published.parent / f".{published.stem}.dead-run.123.tmp{published.suffix}"
    stale.write_bytes(b"half a file")
    stale_wal = stale.with_name(stale.name + ".wal")
    stale_wal.write_bytes(b"half a log")
    unrelated = published.parent / "notes.txt"
    unrelated.write_text("keep me")

    result = publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")

    assert result.removed_stale_files == [stale, stale_wal]
    assert not stale.exists() and not stale_wal.exists() and unrelated.exists()


def test_a_republish_of_the_same_data_publishes_the_same_rows(paths):
    warehouse, published = paths
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")
    with duckdb.connect(str(published), read_only=True) as reader:
        first = reader.execute("SELECT * FROM scorecard.measure_values ORDER BY ALL").fetchall()
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-b")
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("SELECT * FROM scorecard.measure_values ORDER BY ALL").fetchall() == first
        log = reader.execute("SELECT run_id FROM scorecard.publications ORDER BY published_at").fetchall()
    assert log == [("run-a",), ("run-b",)]


def test_runs_are_numbered_once_each(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    window = RunWindow(None, None, 3, False)
    assert [register_run(con, run, window) for run in ("a", "b", "a", "c")] == [1, 2, 1, 3]


def test_the_warehouse_log_is_healed_from_the_published_file(paths):
    warehouse, published = paths
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-b")
    # As if the process died between replacing the file and logging the publication.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DELETE FROM publish.publications WHERE run_id = 'run-b'")
        assert sync_publication_log(con, published) == 1
        assert sync_publication_log(con, published) == 0
        runs = con.execute("SELECT run_id FROM publish.publications ORDER BY published_at").fetchall()
    assert runs == [("run-a",), ("run-b",)]


def test_the_log_sync_does_nothing_before_the_first_publish(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_log_tables(con)
    assert sync_publication_log(con, tmp_path / "published" / "missing.duckdb") == 0


def _start_reader(published: Path, mode: str, workdir: Path) -> tuple[subprocess.Popen, Path, Path]:
    out, ready, stop = workdir / f"{mode}.jsonl", workdir / f"{mode}.ready", workdir / "stop"
    process = subprocess.Popen(
        [sys.executable, str(READER), str(published), mode, str(out), str(ready), str(stop)]
    )
    while not ready.exists():
        assert process.poll() is None, f"the {mode} reader exited early"
        time.sleep(0.05)
    return process, out, stop


def test_a_reader_holding_the_file_neither_blocks_the_publish_nor_sees_it_change(paths, tmp_path):
    warehouse, published = paths
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-old")
    craft_warehouse(warehouse, months=5, value=2.0)  # the next period's data

    holder, held_out, stop = _start_reader(published, "hold", tmp_path)
    reconnecting, reconnect_out, _ = _start_reader(published, "reconnect", tmp_path)
    try:
        publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-new")
        time.sleep(0.3)  # let both readers read after the swap
    finally:
        stop.write_text("stop")
        assert holder.wait() == 0 and reconnecting.wait() == 0

    held = [json.loads(line) for line in held_out.read_text().splitlines()]
    fresh = [json.loads(line) for line in reconnect_out.read_text().splitlines()]
    for observation in held + fresh:
        assert observation["counted"] == observation["recorded"], observation
    assert {o["run_id"] for o in held} == {"run-old"}
    assert [o["counted"]["measure_values"] for o in held][-1] == 3
    runs = [o["run_id"] for o in fresh]
    assert runs[0] == "run-old" and runs[-1] == "run-new"
    assert runs == sorted(runs, key=["run-old", "run-new"].index), "a reader went back to the old file"
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("SELECT max(value) FROM scorecard.measure_values").fetchall() == [(10.0,)]
