"""The load ledger: the bookkeeping tables of ``raw`` and what a load reads from and writes to them.

``raw._ingested_files`` holds one row per loaded file version (its sha256, row counts and, for an
incremental database extract, its high-water mark); ``raw._loads`` one row per table load;
``raw._withdrawn_files`` and ``raw._withdrawn_rows`` the versions and rows taken out of force by a
re-delivery or a removed file. ``in_force_sql`` and ``IN_FORCE_FILES_SQL`` are how every reader of
the raw tables leaves withdrawn versions out.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

import duckdb

from orchestration.ingestion.results import FileLoadDetail, RedeliveryRefusedError, TableLoadResult
from orchestration.ingestion.scope import LoadScope
from orchestration.settings import ACCEPT_REDELIVERY_ENV
from orchestration.sql import identifier

RAW_SCHEMA = "raw"
# Written by the quality gates (orchestration/quality), read by dbt as a source: created here so it
# exists, empty, before the first check or dbt run.
QUALITY_SCHEMA = "quality"
LOAD_COLUMNS = ("_source_file", "_source_row_number", "_load_id", "_loaded_at")

_HASH_CHUNK_BYTES = 1 << 20

_BOOKKEEPING_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA};
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._ingested_files (
    load_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    file_bytes BIGINT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    loaded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Database extracts with an incremental column: the column and the highest value extracted, as the
-- source wrote it; the next run extracts from there on. Added after the ledger, hence ALTER.
ALTER TABLE {RAW_SCHEMA}._ingested_files ADD COLUMN IF NOT EXISTS incremental_column VARCHAR;
ALTER TABLE {RAW_SCHEMA}._ingested_files ADD COLUMN IF NOT EXISTS high_water_mark VARCHAR;
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._quarantine (
    load_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row_number BIGINT NOT NULL,
    rule VARCHAR NOT NULL,
    column_name VARCHAR,
    detail VARCHAR NOT NULL,
    raw_record VARCHAR NOT NULL,
    quarantined_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._loads (
    load_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status VARCHAR NOT NULL,
    files_read BIGINT NOT NULL,
    files_skipped_unchanged BIGINT NOT NULL,
    files_failed BIGINT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    error VARCHAR,
    run_id VARCHAR
);
-- Warehouses created before loads recorded their run.
ALTER TABLE {RAW_SCHEMA}._loads ADD COLUMN IF NOT EXISTS run_id VARCHAR;
-- One row per loaded file version taken out of force: replaced by a re-delivery of the file, or its
-- file removed from the landing zone. (load_id, loaded_at) is the version's (_load_id, _loaded_at).
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._withdrawn_files (
    system VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    load_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    loaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    rows_withdrawn BIGINT NOT NULL,
    withdrawn_at TIMESTAMP WITH TIME ZONE NOT NULL,
    withdrawn_by_load_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
-- The rows a withdrawal took out of force: every row of a removed file, the rows of a replaced
-- version whose key the new version does not hold. They stay in the raw table for audit.
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._withdrawn_rows (
    system VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    load_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row_number BIGINT NOT NULL,
    withdrawn_at TIMESTAMP WITH TIME ZONE NOT NULL,
    withdrawn_by_load_id VARCHAR NOT NULL
);
CREATE SCHEMA IF NOT EXISTS {QUALITY_SCHEMA};
CREATE TABLE IF NOT EXISTS {QUALITY_SCHEMA}.source_flags (
    source_table VARCHAR NOT NULL,
    period_start DATE,
    check_name VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    flagged_at TIMESTAMP NOT NULL
);
"""


def in_force_sql(alias: str) -> str:
    """A condition on rows ``alias`` of a raw table: their file version has not been withdrawn."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {RAW_SCHEMA}._withdrawn_files AS _withdrawn "
        f"WHERE _withdrawn.load_id = {alias}._load_id AND _withdrawn.loaded_at = {alias}._loaded_at)"
    )


IN_FORCE_FILES_SQL = f"""
    SELECT * FROM {RAW_SCHEMA}._ingested_files AS f
    WHERE NOT EXISTS (
        SELECT 1 FROM {RAW_SCHEMA}._withdrawn_files AS w
        WHERE w.system = f.system AND w."table" = f."table" AND w.load_id = f.load_id
            AND w.source_file = f.source_file
    )
"""


def new_load_id(suffix: str = "") -> str:
    """A load id that sorts by time and stays unique: ``20250131T120000123456Z-ab12cd34`` (UTC)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{suffix or uuid.uuid4().hex[:8]}"


def ensure_bookkeeping_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``raw`` schema, the file ledger, the quarantine and the load log if missing.

    Also ``quality.source_flags`` (source_table 'system.table', period_start — NULL for every
    period —, check_name, severity 'warning' | 'error', message, flagged_at), which the quality
    checks fill and the marts read to mark measures untrusted.
    """
    con.execute(_BOOKKEEPING_DDL)


def file_fingerprint(path: Path) -> tuple[str, int]:
    """A file's sha256 (hex) and size in bytes, read in chunks: the key of the load ledger."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def record_load(
    con: duckdb.DuckDBPyConnection,
    result: TableLoadResult,
    started_at: datetime,
    errors: Sequence[Exception],
    run_id: str | None,
) -> None:
    """Log one table load in ``raw._loads``: its outcome, counts, errors and Dagster run."""
    error_text = "\n".join(str(error) for error in errors) or None
    con.execute(
        f"""
        INSERT INTO {RAW_SCHEMA}._loads (
            load_id, system, "table", started_at, finished_at, status, files_read,
            files_skipped_unchanged, files_failed, rows_read, rows_loaded, rows_quarantined, error, run_id
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            result.load_id,
            result.system,
            result.table,
            started_at,
            datetime.now(UTC),
            "failed" if errors else "succeeded",
            result.files_read,
            result.files_skipped_unchanged,
            result.files_failed,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            error_text,
            run_id,
        ],
    )


# (load_id, source_file, loaded_at, rows_read) of one loaded file version, as the ledger holds it.
FileVersion = tuple[str, str, datetime, int]


class LoadLedger(LoadScope):
    """The ledger as one table load sees it: which versions are in force, what a re-delivery
    replaces, and the rows that record loaded and withdrawn versions."""

    def __init__(self, scope: LoadScope, landing_dir: Path, accept_redelivery: Collection[str] = ()) -> None:
        self._share(scope)
        self.landing_dir = landing_dir
        self.accept_redelivery = tuple(accept_redelivery)

    def already_loaded(self, source_file: str, sha256: str) -> bool:
        """Whether the latest load of this file had exactly this content and is still in force.

        Only the latest version counts: a file put back to an earlier content (a bad re-export undone)
        must load again, or the bad version would stay the latest load of its rows. A file removed
        and put back loads again too: its versions were withdrawn.
        """
        latest = self.con.execute(
            f"SELECT load_id, file_sha256 FROM {RAW_SCHEMA}._ingested_files "
            'WHERE system = ? AND "table" = ? AND source_file = ? '
            "ORDER BY loaded_at DESC, load_id DESC LIMIT 1",
            [self.system, self.table, source_file],
        ).fetchall()
        if not latest or latest[0][1] != sha256:
            return False
        return any(load_id == latest[0][0] for load_id, *_ in self._versions_in_force(source_file))

    def _versions_in_force(self, source_file: str | None = None) -> list[FileVersion]:
        """(load_id, source_file, loaded_at, rows_read) of this table's versions not withdrawn, newest
        first; only those of ``source_file`` when given."""
        return self.con.execute(
            f"""
            SELECT load_id, source_file, loaded_at, rows_read FROM ({IN_FORCE_FILES_SQL})
            WHERE system = ? AND "table" = ? AND (CAST(? AS VARCHAR) IS NULL OR source_file = ?)
            ORDER BY loaded_at DESC, load_id DESC
            """,
            [self.system, self.table, source_file, source_file],
        ).fetchall()

    def shown(self, source_file: str) -> str:
        """A file as its messages name it: relative to the landing zone when it lies under it."""
        try:
            return str(Path(source_file).relative_to(self.landing_dir))
        except ValueError:
            return source_file

    def _accepted(self, source_file: str) -> bool:
        return any(
            fnmatch(self.shown(source_file), pattern) or fnmatch(source_file, pattern)
            for pattern in self.accept_redelivery
        )

    def check_redelivery(self, source_file: str) -> tuple[FileVersion, ...]:
        """The versions a re-delivery staged in ``_ingest_read`` replaces, after the row-count guard.

        Raises ``RedeliveryRefusedError`` when the new version holds fewer rows than
        ``redelivery_min_ratio`` of the latest one and the file is not accepted explicitly; the caller
        drops the staged rows.
        """
        if self.spec.redelivery_mode != "replace":
            return ()
        replaced = tuple(self._versions_in_force(source_file))
        if not replaced:
            return ()
        previous = replaced[0][3]
        rows = self.con.execute("SELECT count(*) FROM _ingest_read").fetchall()[0][0]
        minimum = self.spec.redelivery_min_ratio
        if previous and rows < minimum * previous and not self._accepted(source_file):
            shown = self.shown(source_file)
            raise RedeliveryRefusedError(
                f"{source_file}: re-delivered with {rows:,} of the {previous:,} rows of the version loaded "
                f"{replaced[0][2]:%Y-%m-%d %H:%M} UTC ({rows / previous:.0%}, below the "
                f"{minimum:.0%} that {self.system}.{self.table} accepts), so it was not loaded and the "
                "earlier version stays in force. If the export was cut short, re-deliver the complete "
                "file; if the missing rows really were deleted at the source, accept this delivery with "
                f"`scorecard run --accept-redelivery {shown}` (or {ACCEPT_REDELIVERY_ENV}={shown}), "
                f"or lower `redelivery_min_ratio` of {self.system}.{self.table} in sources.yml"
            )
        return replaced

    def withdraw_removed(self, present: set[str]) -> list[FileLoadDetail]:
        """Withdraw the versions of files loaded before that are no longer among ``present``."""
        removed: dict[str, list[FileVersion]] = {}
        for version in self._versions_in_force():
            if version[1] not in present:
                removed.setdefault(version[1], []).append(version)
        details = []
        for source_file, versions in sorted(removed.items()):
            shown = self.shown(source_file)
            gone = not Path(source_file).exists()
            reason = (
                "file removed from the landing zone"
                if gone
                else f"file no longer matches location {self.spec.location!r} in sources.yml"
            )
            self.con.execute("BEGIN TRANSACTION")
            try:
                rows = sum(self._withdraw(version, reason) for version in versions)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            what = (
                "was removed from the landing zone"
                if gone
                else f"no longer matches {self.system}.{self.table}'s location {self.spec.location!r} "
                f"under the landing zone {self.landing_dir}"
            )
            details.append(
                FileLoadDetail(
                    source_file,
                    "withdrawn",
                    rows_withdrawn=rows,
                    notice=f"{shown} {what}: its {_rows(rows)} are withdrawn",
                )
            )
        return details

    def _withdraw(
        self,
        version: FileVersion,
        reason: str,
        replacement: tuple[str, datetime] | None = None,
    ) -> int:
        """Take one file version out of force; return how many of its rows ``replacement`` (the new
        version's load id and loaded_at) does not carry forward by key — all of them without one."""
        load_id, source_file, loaded_at, _rows_read = version
        carried = ""
        parameters: list[object] = []
        if replacement is not None:
            same_key = " AND ".join(f"n.{identifier(c)} = r.{identifier(c)}" for c in self.spec.primary_key)
            carried = (
                f" AND NOT EXISTS (SELECT 1 FROM {self.target} AS n "
                f"WHERE n._load_id = ? AND n._loaded_at = ? AND {same_key})"
            )
            parameters = list(replacement)
        withdrawn_at = datetime.now(UTC)
        rows = self.con.execute(
            f"""
            INSERT INTO {RAW_SCHEMA}._withdrawn_rows
            SELECT ?, ?, r._load_id, r._source_file, r._source_row_number, ?, ?
            FROM {self.target} AS r
            WHERE r._load_id = ? AND r._loaded_at = ? AND r._source_file = ?{carried}
            """,
            [
                self.system,
                self.table,
                withdrawn_at,
                self.load_id,
                load_id,
                loaded_at,
                source_file,
                *parameters,
            ],
        ).fetchall()[0][0]
        self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}._withdrawn_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.system,
                self.table,
                load_id,
                source_file,
                loaded_at,
                rows,
                withdrawn_at,
                self.load_id,
                reason,
            ],
        )
        return rows

    def record_file(
        self, detail: FileLoadDetail, loaded_at: datetime, high_water_mark: str | None = None
    ) -> None:
        """Enter one loaded file version in ``raw._ingested_files``: its content hash, size and row
        counts and, for an incremental extract, its high-water mark."""
        self.con.execute(
            f"""
            INSERT INTO {RAW_SCHEMA}._ingested_files (
                load_id, system, "table", source_file, file_sha256, file_bytes, rows_read,
                rows_loaded, rows_quarantined, loaded_at, incremental_column, high_water_mark
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                self.load_id,
                self.system,
                self.table,
                detail.source_file,
                detail.file_sha256,
                detail.file_bytes,
                detail.rows_read,
                detail.rows_loaded,
                detail.rows_quarantined,
                loaded_at,
                self.spec.incremental_column if high_water_mark is not None else None,
                high_water_mark,
            ],
        )

    def withdraw_replaced(
        self, replaced: tuple[FileVersion, ...], rows_read: int, loaded_at: datetime
    ) -> int:
        """Withdraw the versions a re-delivery (loaded at ``loaded_at`` with ``rows_read`` rows)
        replaces; return how many of their rows it does not carry forward by key."""
        if not replaced:
            return 0
        previous = replaced[0][3]
        reason = f"replaced by a re-delivery of the file with {rows_read:,} of {previous:,} rows"
        return sum(self._withdraw(version, reason, (self.load_id, loaded_at)) for version in replaced)

    def high_water_mark(self, source_file: str) -> str | None:
        """The high-water mark the latest load in force of this extract recorded for the table's
        incremental column; None (extract everything) without one."""
        column = self.spec.incremental_column
        if column is None:
            return None
        latest = self.con.execute(
            f"""
            SELECT incremental_column, high_water_mark FROM ({IN_FORCE_FILES_SQL})
            WHERE system = ? AND "table" = ? AND source_file = ?
            ORDER BY loaded_at DESC, load_id DESC LIMIT 1
            """,
            [self.system, self.table, source_file],
        ).fetchall()
        # A mark of another column (incremental_column changed) says nothing about this one.
        return latest[0][1] if latest and latest[0][0] == column else None

    def redelivery_notice(self, source_file: str, rows: int, previous: int, withdrawn: int) -> str:
        """What a re-delivery did, in one sentence: its rows against the version it replaced, and
        how many rows it withdrew."""
        shown = self.shown(source_file)
        counts = f"{rows:,} of {previous:,} rows" if rows <= previous else f"{rows:,} rows (was {previous:,})"
        said = f"{shown}: re-delivered with {counts}; "
        said += (
            f"{_rows(withdrawn)} withdrawn"
            if withdrawn
            else "it replaces the earlier version; no row withdrawn"
        )
        if previous and rows < self.spec.redelivery_min_ratio * previous:
            said += f" (accepted below the {self.spec.redelivery_min_ratio:.0%} minimum)"
        return said


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"
