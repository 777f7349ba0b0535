"""Write-audit-publish of the ``scorecard`` schema into the BI-facing DuckDB file.

Readers (BI tools, Evidence, the report) open ``bsc_published.duckdb`` directly, so it must only ever
hold a complete, checked state. A refresh therefore never touches that file:

1. **write**: the contract tables of the warehouse's ``scorecard`` schema are copied, in one read
   transaction, into a new temporary file beside the published one, written with DuckDB storage
   compatibility v1.4.0 so clients bundling DuckDB 1.4 (Evidence among them) can open it;
2. **audit**: the temporary file is reopened read-only and checked: readable as v1.4, every contract
   table present with the warehouse's columns and row count, rows where rows are required, keys unique;
3. **publish**: the file is fsynced and ``os.replace``-d onto the published name (atomic on one
   filesystem), then the directory entry is fsynced.

A reader holding the old file keeps reading the old inode; the refresh never waits for it. A process
killed at any point leaves either the old or the new complete file under the published name, plus
perhaps a stale temporary file, which the next publish removes. Publishes are serialised by an
advisory lock on a file beside the published one (released by the kernel when a process dies), so the
stale-file clean-up never removes another live publisher's work.

The warehouse keeps a log of publications (``publish.publications``, copied into the published file
as ``scorecard.publications``); dbt reads it to tell restatements of published values apart from
changes nobody ever saw. Each run that builds the warehouse is numbered in ``publish.runs``.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.sql import identifier, qualified
from orchestration.warehouse import connect, table_exists

PUBLISHED_SCHEMA = "scorecard"
LOG_SCHEMA = "publish"
PUBLICATIONS_TABLE = "publications"
STORAGE_VERSION = "v1.4.0"
# Environment hook for the crash tests: ``<point>:<marker file>`` makes the publisher write the marker
# and wait at that point, so a test can SIGKILL the process exactly there.
HOLD_ENV = "SCORECARD_PUBLISH_HOLD_AT"
HOLD_POINTS = ("before_write", "after_write", "after_audit", "after_replace")

_LOG_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {LOG_SCHEMA};
CREATE TABLE IF NOT EXISTS {LOG_SCHEMA}.runs (
    run_id VARCHAR NOT NULL,
    run_seq BIGINT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    first_month DATE,
    last_month DATE,
    restatement_window_months INTEGER,
    full_refresh BOOLEAN NOT NULL
);
-- Added after the first release: what the run read, and the definitions it ran with (see
-- orchestration.freshness).
ALTER TABLE {LOG_SCHEMA}.runs ADD COLUMN IF NOT EXISTS inputs_digest VARCHAR;
ALTER TABLE {LOG_SCHEMA}.runs ADD COLUMN IF NOT EXISTS code_digest VARCHAR;
CREATE TABLE IF NOT EXISTS {LOG_SCHEMA}.{PUBLICATIONS_TABLE} (
    run_id VARCHAR NOT NULL,
    run_seq BIGINT,
    published_at TIMESTAMP NOT NULL,
    first_month DATE,
    last_month DATE,
    restatement_window_months INTEGER,
    full_refresh BOOLEAN,
    table_rows VARCHAR NOT NULL
);
"""


class PublishError(Exception):
    """The temporary file failed its audit or could not be written; the published file is unchanged."""


@dataclass(frozen=True)
class PublishedTable:
    """A table of the published contract: its name in ``scorecard`` and the columns that key a row."""

    name: str
    key_columns: tuple[str, ...]
    allow_empty: bool = False


@dataclass(frozen=True)
class RunWindow:
    """What a run asked dbt for: the scorecard's months and how far back it restated."""

    first_month: date | None
    last_month: date | None
    restatement_window_months: int | None
    full_refresh: bool


@dataclass(frozen=True)
class PublishResult:
    """A completed publish: where, when, and the rows of every table as the audit counted them."""

    path: Path
    run_id: str
    published_at: datetime
    table_rows: dict[str, int]
    file_bytes: int
    removed_stale_files: list[Path] = field(default_factory=list)
    # The run's window as the dbt asset registered it: which months this publication recomputed.
    window: RunWindow = field(default_factory=lambda: RunWindow(None, None, None, False))


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple | None:
    """The first row of a query, or None; reads the whole result.

    DuckDB 2.0 keeps a connection busy until a result is exhausted, so ``fetchone()`` would make the
    next statement on the connection fail.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def ensure_log_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the run and publication logs in the warehouse if missing (dbt reads the latter)."""
    con.execute(_LOG_DDL)


def register_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    window: RunWindow,
    inputs_digest: str | None = None,
    code_digest: str | None = None,
) -> int:
    """Number this run in ``publish.runs`` (idempotent per run id) and return its sequence number.

    The sequence, not the wall clock, orders runs: restatements compare the run that computed a
    value with the runs that published it. ``inputs_digest`` is what the run read (config, code,
    calendar and the ledger's loads; ``orchestration.freshness``): a later run with the same digest
    has nothing new to publish. ``code_digest`` is the definitions alone (``tested_through``).
    """
    ensure_log_tables(con)
    existing = first_row(con, f"SELECT run_seq FROM {LOG_SCHEMA}.runs WHERE run_id = ?", [run_id])
    if existing:
        return int(existing[0])
    con.execute(
        f"""
        INSERT INTO {LOG_SCHEMA}.runs
        SELECT ?, coalesce(max(run_seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?
        FROM {LOG_SCHEMA}.runs
        """,
        [
            run_id,
            datetime.now(UTC).replace(tzinfo=None),
            window.first_month,
            window.last_month,
            window.restatement_window_months,
            window.full_refresh,
            inputs_digest,
            code_digest,
        ],
    )
    row = first_row(con, f"SELECT run_seq FROM {LOG_SCHEMA}.runs WHERE run_id = ?", [run_id])
    return int(row[0])


def tested_through(con: duckdb.DuckDBPyConnection, code_digest: str) -> datetime | None:
    """When the build behind the last publication started, if it ran the definitions ``code_digest`` names.

    Every row loaded before that moment passed that build's blocking tests (a run publishes only
    when they all pass), so a build with the same definitions — the same tests — needs to test only
    the rows loaded since. None (test every row) when nothing was published yet or the definitions
    changed since: a new or edited test must see the whole history. UTC, naive.
    """
    ensure_log_tables(con)
    row = first_row(
        con,
        f"""
        SELECT runs.started_at, runs.code_digest
        FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE} AS publications
        JOIN {LOG_SCHEMA}.runs AS runs USING (run_id)
        ORDER BY publications.published_at DESC
        LIMIT 1
        """,
    )
    if not row or row[1] != code_digest:
        return None
    return row[0]


def sync_publication_log(con: duckdb.DuckDBPyConnection, published_path: Path) -> int:
    """Copy publications recorded in the published file but missing from the warehouse log.

    The log row is written to the warehouse right after the file is replaced; a process killed
    between the two leaves the published file ahead of the log. The published file carries the whole
    log, so the next run heals the warehouse from it. Returns the number of rows recovered.
    """
    ensure_log_tables(con)
    if not published_path.exists():
        return 0
    reader = duckdb.connect(str(published_path), read_only=True)
    try:
        if not table_exists(reader, PUBLISHED_SCHEMA, PUBLICATIONS_TABLE):
            return 0
        frame = reader.sql(f"SELECT * FROM {PUBLISHED_SCHEMA}.{PUBLICATIONS_TABLE}").to_arrow_table()
    finally:
        reader.close()
    con.register("_published_log", frame)
    try:
        before = first_row(con, f"SELECT count(*) FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE}")[0]
        con.execute(
            f"""
            INSERT INTO {LOG_SCHEMA}.{PUBLICATIONS_TABLE} BY NAME
            SELECT * FROM _published_log
            WHERE run_id NOT IN (SELECT run_id FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE})
            """
        )
        after = first_row(con, f"SELECT count(*) FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE}")[0]
    finally:
        con.unregister("_published_log")
    return int(after - before)


def temp_file_pattern(published_path: Path) -> str:
    """The glob of the temporary files a publish of ``published_path`` writes (for clean-up and tests)."""
    return f".{published_path.stem}.*.tmp{published_path.suffix}*"


def clean_stale_temp_files(published_path: Path) -> list[Path]:
    """Remove temporary files (and their WALs) left by publishes that died; call under the publish lock."""
    removed = []
    for path in sorted(published_path.parent.glob(temp_file_pattern(published_path))):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


@contextmanager
def publish_lock(published_path: Path) -> Iterator[None]:
    """Hold the advisory lock that serialises publishes of ``published_path``.

    ``flock`` is released by the kernel when the holder dies, even by SIGKILL, so a crashed run never
    leaves the next one waiting.
    """
    published_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = published_path.parent / f".{published_path.name}.lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def storage_version(path: Path) -> str:
    """The storage compatibility DuckDB reports for a database file, e.g. ``v1.4.0+``."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS probe (READ_ONLY)", [str(path)])
        row = first_row(
            con, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'probe'"
        )
    finally:
        con.close()
    return str(row[0]) if row and row[0] else ""


def publish_scorecard(
    warehouse_path: Path,
    published_path: Path,
    tables: Sequence[PublishedTable],
    *,
    run_id: str,
) -> PublishResult:
    """Write, audit and atomically publish the contract ``tables`` of the warehouse's ``scorecard`` schema.

    The run's window (months, restatement window, full refresh) is read from ``publish.runs``, where
    the dbt asset registered it. Raises ``PublishError`` naming every problem when the audit fails;
    the published file is then untouched and the temporary file removed.
    """
    if not tables:
        raise PublishError(
            "No contract tables to publish: the dbt manifest lists no models in schema scorecard."
        )
    with publish_lock(published_path):
        removed = clean_stale_temp_files(published_path)
        temp_path = published_path.parent / (
            f".{published_path.stem}.{run_id}.{os.getpid()}.tmp{published_path.suffix}"
        )
        _hold("before_write")
        published_at = datetime.now(UTC).replace(tzinfo=None)
        try:
            expected, row, window = _write(warehouse_path, temp_path, tables, run_id, published_at)
            _hold("after_write")
            _audit(temp_path, tables, expected)
            _hold("after_audit")
            _fsync_file(temp_path)
            os.replace(temp_path, published_path)
            _fsync_dir(published_path.parent)
        except BaseException:
            for leftover in published_path.parent.glob(f"{temp_path.name}*"):
                leftover.unlink(missing_ok=True)
            raise
        _hold("after_replace")
        _record_publication(warehouse_path, row)
    return PublishResult(
        path=published_path,
        run_id=run_id,
        published_at=published_at,
        table_rows=expected,
        file_bytes=published_path.stat().st_size,
        removed_stale_files=removed,
        window=window,
    )


def _hold(point: str) -> None:
    """Pause at ``point`` forever when the crash-test hook asks for it (never set in production)."""
    setting = os.environ.get(HOLD_ENV, "")
    if not setting:
        return
    wanted, _, marker = setting.partition(":")
    if wanted != point:
        return
    Path(marker).write_text(f"{os.getpid()}\n")
    while True:
        time.sleep(1)


def _run_window(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[int | None, RunWindow]:
    """The run's sequence number and window as the dbt asset registered them (empty if it did not)."""
    row = first_row(
        con,
        f"""
        SELECT run_seq, first_month, last_month, restatement_window_months, full_refresh
        FROM {LOG_SCHEMA}.runs WHERE run_id = ?
        """,
        [run_id],
    )
    if row is None:
        return None, RunWindow(None, None, None, False)
    return int(row[0]), RunWindow(row[1], row[2], row[3], bool(row[4]))


def _write(
    warehouse_path: Path,
    temp_path: Path,
    tables: Sequence[PublishedTable],
    run_id: str,
    published_at: datetime,
) -> tuple[dict[str, int], list[Any], RunWindow]:
    """Copy the contract tables into ``temp_path``; return the row counts, log row and the run's window."""
    con = connect(warehouse_path)
    try:
        ensure_log_tables(con)
        present = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [PUBLISHED_SCHEMA]
            ).fetchall()
        }
        missing = [table.name for table in tables if table.name not in present]
        if missing:
            raise PublishError(
                f"The warehouse has no {PUBLISHED_SCHEMA}.{', '.join(missing)}: dbt did not build "
                "them. Run the whole job (`scorecard run`) before publishing."
            )
        run_seq, window = _run_window(con, run_id)
        con.execute("ATTACH ? AS publish_target (STORAGE_VERSION ?)", [str(temp_path), STORAGE_VERSION])
        # One transaction: the copies and the counts see the same warehouse state.
        con.execute("BEGIN TRANSACTION")
        con.execute(f"CREATE SCHEMA publish_target.{PUBLISHED_SCHEMA}")
        expected = {}
        for table in tables:
            source = qualified(PUBLISHED_SCHEMA, table.name)
            con.execute(f"CREATE TABLE publish_target.{source} AS SELECT * FROM {source}")
            expected[table.name] = int(first_row(con, f"SELECT count(*) FROM {source}")[0])
        row = [
            run_id,
            run_seq,
            published_at,
            window.first_month,
            window.last_month,
            window.restatement_window_months,
            window.full_refresh,
            json.dumps(expected, sort_keys=True),
        ]
        # The file carries the whole log (earlier publications plus this one), so a warehouse that
        # missed this row because the process died right after the replace can recover it.
        con.execute(
            f"""
            CREATE TABLE publish_target.{PUBLISHED_SCHEMA}.{PUBLICATIONS_TABLE} AS
            SELECT * FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE} WHERE run_id <> ?
            """,
            [run_id],
        )
        con.execute(
            f"INSERT INTO publish_target.{PUBLISHED_SCHEMA}.{PUBLICATIONS_TABLE} "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        con.execute("COMMIT")
        con.execute("DETACH publish_target")
    except duckdb.Error as error:
        raise PublishError(f"Could not write {temp_path.name} from {warehouse_path}: {error}") from error
    finally:
        con.close()
    return expected, row, window


def _audit(temp_path: Path, tables: Sequence[PublishedTable], expected: dict[str, int]) -> None:
    """Check the file on disk, through a fresh read-only connection; raise listing every problem."""
    problems = []
    version = storage_version(temp_path)
    if not version.startswith("v1.4"):
        problems.append(f"storage version is {version or 'unknown'}, not {STORAGE_VERSION}")
    con = duckdb.connect(str(temp_path), read_only=True)
    try:
        present = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [PUBLISHED_SCHEMA]
            ).fetchall()
        }
        for table in tables:
            name = f"{PUBLISHED_SCHEMA}.{table.name}"
            if table.name not in present:
                problems.append(f"{name} is missing")
                continue
            rows = int(first_row(con, f"SELECT count(*) FROM {qualified(PUBLISHED_SCHEMA, table.name)}")[0])
            if rows != expected[table.name]:
                problems.append(f"{name} has {rows:,} rows; the warehouse has {expected[table.name]:,}")
            if rows == 0 and not table.allow_empty:
                problems.append(f"{name} is empty; a published period needs rows in every contract table")
            if not table.key_columns:
                problems.append(
                    f"{name} has no declared key: add a unique or unique_combination_of_columns test "
                    "to its dbt YAML"
                )
                continue
            keys = ", ".join(identifier(column) for column in table.key_columns)
            duplicates = first_row(
                con,
                f"""
                SELECT count(*) FROM (
                    SELECT {keys} FROM {qualified(PUBLISHED_SCHEMA, table.name)}
                    GROUP BY ALL HAVING count(*) > 1
                )
                """,
            )[0]
            if duplicates:
                problems.append(
                    f"{name} has {duplicates:,} duplicated key(s) on ({', '.join(table.key_columns)})"
                )
        if PUBLICATIONS_TABLE not in present:
            problems.append(f"{PUBLISHED_SCHEMA}.{PUBLICATIONS_TABLE} is missing")
    finally:
        con.close()
    if problems:
        raise PublishError(
            "The new scorecard file failed its audit, so the published file was left as it was:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + "\nFix the dbt models named above and re-run `scorecard run`."
        )


def _record_publication(warehouse_path: Path, row: list[Any]) -> None:
    con = connect(warehouse_path)
    try:
        ensure_log_tables(con)
        con.execute("BEGIN TRANSACTION")
        con.execute(f"DELETE FROM {LOG_SCHEMA}.{PUBLICATIONS_TABLE} WHERE run_id = ?", [row[0]])
        con.execute(f"INSERT INTO {LOG_SCHEMA}.{PUBLICATIONS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        con.execute("COMMIT")
    finally:
        con.close()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
