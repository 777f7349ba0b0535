"""Loading one registry table's exports into ``raw.<system>__<table>``, with a quarantine for bad rows.

How a file travels, all in set-based DuckDB SQL:

1. Its sha256 is checked against the ledger ``raw._ingested_files``; an unchanged file is skipped.
2. Its columns are compared with sources.yml (missing / unexpected / renamed columns, and Parquet
   columns of an incompatible physical type, stop the file with ``SourceSchemaError``), then it is
   read with DuckDB's native reader into the temp table ``_ingest_read`` under the declared column
   names (text for CSV, JSONL and databases, native types for Parquet), seen with 1-based row
   numbers through the view ``_ingest_src``.
3. ``_ingest_checked`` casts every value once to its declared type and labels each row with the
   first rule it breaks (``null_primary_key``, ``invalid_type``, ``null_required``, then the row
   rules of sources.yml — ``out_of_range``, ``not_allowed_value``, ``in_future`` — and
   ``duplicate_primary_key``), listing every failing column in a readable detail. A column where
   no value casts at all is a retyped column: the file stops with ``SourceSchemaError``.
4. In one transaction per file: good rows go to the raw table, labelled rows to ``raw._quarantine``,
   and the file to the ledger; the counts must satisfy read = loaded + quarantined or nothing is kept.

A new version of a file already loaded (same path, new content) is a re-delivery. For a ``replace``
table (sources.yml ``redelivery``, the default for files) it supersedes the earlier version: that
version is withdrawn, and its rows whose key the new version does not hold are recorded in
``raw._withdrawn_rows``. A re-delivery with fewer rows than ``redelivery_min_ratio`` of the version it
replaces is refused before it is used (``RedeliveryRefusedError``) unless it is accepted explicitly.
A file that no longer matches its table's ``location`` (removed from the landing zone) has its
versions withdrawn. A withdrawn version is recorded in ``raw._withdrawn_files`` with when, by which
load and why; its rows stay in the raw table, and staging (``latest_load_per_key``) and the quality
frames leave them out, matching a version by ``(_load_id, _loaded_at)``.

Database sources (sqlite, postgres) follow the same path from step 2 on: the table is streamed as
Arrow record batches of text values (stdlib ``sqlite3``; ADBC's libpq driver for PostgreSQL) into
``_ingest_read``, and its content hash is taken over the extracted rows. A table with an
``incremental_column`` is extracted from the high-water mark of its last load on (``>=``, so rows
sharing the boundary value are read again); the ledger records the new mark, and the hash covers the
rows at it, so a run that finds no row past the mark and the boundary rows unchanged loads nothing.
A PostgreSQL password never reaches a message, the ledger or a log: sources are named by their
location with the password replaced by ``***``, and driver errors are redacted the same way.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from collections.abc import Collection, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatch
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as pg_dbapi
import duckdb
import numpy as np
import pyarrow as pa

from orchestration.ingestion.landing import without_held
from orchestration.ingestion.registry import (
    ColumnRules,
    SourceRegistry,
    SourceTable,
    file_period,
    raw_table_name,
    redact_conninfo,
)
from orchestration.settings import ACCEPT_REDELIVERY_ENV
from orchestration.sql import identifier, literal, qualified

RAW_SCHEMA = "raw"
# Written by the quality gates (orchestration/quality), read by dbt as a source: created here so it
# exists, empty, before the first check or dbt run.
QUALITY_SCHEMA = "quality"
LOAD_COLUMNS = ("_source_file", "_source_row_number", "_load_id", "_loaded_at")

# Quarantine rules in order of importance: a row is filed under the first one it breaks.
RULE_NULL_PRIMARY_KEY = "null_primary_key"
RULE_INVALID_TYPE = "invalid_type"
RULE_NULL_REQUIRED = "null_required"
# Row rules declared per column in sources.yml (``rules:``), checked on the cast values.
RULE_OUT_OF_RANGE = "out_of_range"
RULE_NOT_ALLOWED_VALUE = "not_allowed_value"
RULE_IN_FUTURE = "in_future"
RULE_DUPLICATE_PRIMARY_KEY = "duplicate_primary_key"
# A file named after its period may hold events up to this long after the period ends: a UTC
# offset moves a late-evening local time into the next day.
FUTURE_SLACK = timedelta(days=1)

_SQLITE_BATCH_ROWS = 50_000
_HASH_CHUNK_BYTES = 1 << 20

_DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
}
_INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
)
_FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})
_TIMESTAMP_TYPES = frozenset({"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"})

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


class IngestionError(Exception):
    """A source could not be loaded; ``result`` holds what the rest of the table load did."""

    result: TableLoadResult | None = None


class SourceReadError(IngestionError):
    """A source file or database could not be read at all (truncated, wrong encoding, wrong format...)."""


class SourceSchemaError(IngestionError):
    """A source's columns do not match sources.yml (missing, unexpected, renamed or retyped)."""


class RedeliveryRefusedError(IngestionError):
    """A re-delivered file holds too few rows of the version it would replace; it was not loaded."""


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


@dataclass(frozen=True)
class FileLoadDetail:
    """What happened to one file (or one database extract) in a table load."""

    source_file: str
    status: Literal["loaded", "skipped_unchanged", "failed", "withdrawn"]
    file_sha256: str = ""
    file_bytes: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantined_by_rule: dict[str, int] = field(default_factory=dict)
    error: str = ""
    # Rows of earlier versions (or, for a removed file, of the file) taken out of force, and in words.
    rows_withdrawn: int = 0
    notice: str = ""


@dataclass(frozen=True)
class TableLoadResult:
    """The outcome of ``ingest_table`` for one registry table."""

    load_id: str
    system: str
    table: str
    raw_table: str
    files: tuple[FileLoadDetail, ...]

    def _sum(self, attribute: str) -> int:
        return sum(getattr(detail, attribute) for detail in self.files)

    @property
    def files_read(self) -> int:
        """Files read and loaded by this load (unchanged and failed files excluded)."""
        return sum(detail.status == "loaded" for detail in self.files)

    @property
    def files_skipped_unchanged(self) -> int:
        return sum(detail.status == "skipped_unchanged" for detail in self.files)

    @property
    def files_failed(self) -> int:
        return sum(detail.status == "failed" for detail in self.files)

    @property
    def rows_read(self) -> int:
        return self._sum("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._sum("rows_loaded")

    @property
    def rows_quarantined(self) -> int:
        return self._sum("rows_quarantined")

    @property
    def rows_withdrawn(self) -> int:
        """Rows taken out of force by this load: replaced versions' missing rows, removed files' rows."""
        return self._sum("rows_withdrawn")

    @property
    def files_withdrawn(self) -> int:
        """Files removed from the landing zone since the last load, whose rows this load withdrew."""
        return sum(detail.status == "withdrawn" for detail in self.files)

    @property
    def notices(self) -> list[str]:
        """What happened to re-delivered and removed files, one sentence each."""
        return [detail.notice for detail in self.files if detail.notice]

    @property
    def quarantined_by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for detail in self.files:
            for rule, count in detail.quarantined_by_rule.items():
                totals[rule] = totals.get(rule, 0) + count
        return totals


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


def ingest_table(
    con: duckdb.DuckDBPyConnection,
    registry: SourceRegistry,
    system: str,
    table: str,
    landing_dir: Path,
    load_id: str,
    run_id: str | None = None,
    last_month: date | None = None,
    accept_redelivery: Collection[str] = (),
) -> TableLoadResult:
    """Load every new or changed export of ``system.table`` into ``raw.<system>__<table>``.

    ``run_id`` (the Dagster run) is recorded with the load in ``raw._loads``, so a value restated by
    a run (``scorecard.restatements.restated_run_id``) leads to the loads that brought its data.
    Files named after a month later than ``last_month`` (the scorecard's last month) are held: not
    read, left for the first run whose last month reaches theirs (``orchestration.ingestion.landing``).
    ``accept_redelivery`` lists files (paths under ``landing_dir``, or absolute; globs allowed) to load
    even when they hold fewer rows than ``redelivery_min_ratio`` of the version they replace.

    A re-delivered file of a ``replace`` table withdraws the version it replaces; a file loaded before
    that no longer matches ``location`` (removed from the landing zone) is withdrawn, unless no file
    matches at all (then the location is more likely wrong than every file deleted, and this fails).
    A held file is not removed: it stays in force as loaded until its month's run reads it again.

    Files are loaded one by one, each in its own transaction, so a drifted or unreadable file loads
    nothing while the other files still load. If any file failed, the first failure is raised after
    the others are done (``SourceSchemaError`` or ``SourceReadError``, listing every failed file),
    with ``.result`` describing the whole load. The connection must not be inside a transaction; its
    session time zone is set to UTC so text timestamps cast the same everywhere.
    """
    spec = registry.table(system, table)
    started_at = datetime.now(UTC)
    con.execute("SET TimeZone = 'UTC'")
    ensure_bookkeeping_tables(con)
    raw_table = _ensure_raw_table(con, system, table, spec)
    load = _TableLoad(con, spec, system, table, raw_table, load_id, landing_dir, accept_redelivery)

    details: list[FileLoadDetail] = []
    errors: list[IngestionError] = []
    matched: list[Path] = []
    if spec.is_database:
        sources: list[Path | None] = [None]
    else:
        matched = list(spec.resolve_files(landing_dir))
        if not matched:
            errors.append(
                SourceReadError(
                    f"{system}.{table}: no file matches location {spec.location!r} under {landing_dir} — "
                    "put the export there, set SCORECARD_LANDING_DIR, or fix `location` in sources.yml"
                )
            )
        sources = list(without_held(matched, last_month))
    for source in sources:
        label = _database_label(spec, landing_dir) if source is None else str(source)
        try:
            details.append(load.database(landing_dir) if source is None else load.file(source))
        except IngestionError as error:
            details.append(FileLoadDetail(source_file=label, status="failed", error=str(error)))
            errors.append(error)
    if matched:
        # Every matched file counts as present, held ones included: holding is not removing.
        details += load.withdraw_removed({str(source) for source in matched})

    result = TableLoadResult(load_id, system, table, f"{RAW_SCHEMA}.{raw_table}", tuple(details))
    error_text = "\n".join(str(error) for error in errors) or None
    con.execute(
        f"""
        INSERT INTO {RAW_SCHEMA}._loads (
            load_id, system, "table", started_at, finished_at, status, files_read,
            files_skipped_unchanged, files_failed, rows_read, rows_loaded, rows_quarantined, error, run_id
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            load_id,
            system,
            table,
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
    if errors:
        first = errors[0]
        raised = (
            first
            if len(errors) == 1
            else type(first)(
                f"{len(errors)} sources of {system}.{table} failed to load:\n" + "\n".join(map(str, errors))
            )
        )
        raised.result = result
        if raised is first:
            raise raised
        raise raised from first
    return result


def _duckdb_type(declared: str) -> str:
    return _DUCKDB_TYPES.get(declared) or declared.upper()


def _ensure_raw_table(con: duckdb.DuckDBPyConnection, system: str, table: str, spec: SourceTable) -> str:
    """Create ``raw.<system>__<table>`` if missing, or add columns newly declared in sources.yml."""
    name = raw_table_name(system, table)
    existing = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [RAW_SCHEMA, name],
        ).fetchall()
    )
    target = qualified(RAW_SCHEMA, name)
    if not existing:
        columns = [f"{identifier(column)} {_duckdb_type(kind)}" for column, kind in spec.columns.items()]
        columns += [
            "_source_file VARCHAR NOT NULL",
            "_source_row_number BIGINT NOT NULL",
            "_load_id VARCHAR NOT NULL",
            "_loaded_at TIMESTAMP WITH TIME ZONE NOT NULL",
        ]
        con.execute(f"CREATE TABLE {target} ({', '.join(columns)})")
        # A fresh table holds nothing, so the ledger must not claim its files are loaded: this is what
        # makes "drop the raw table to reload it" work.
        for ledger in ("_ingested_files", "_withdrawn_files", "_withdrawn_rows"):
            con.execute(
                f'DELETE FROM {RAW_SCHEMA}.{ledger} WHERE system = ? AND "table" = ?', [system, table]
            )
        return name
    for column, kind in spec.columns.items():
        wanted = _duckdb_type(kind)
        if column not in existing:
            con.execute(f"ALTER TABLE {target} ADD COLUMN {identifier(column)} {wanted}")
        elif existing[column] != wanted:
            raise SourceSchemaError(
                f"{RAW_SCHEMA}.{name}.{column} is {existing[column]} in the warehouse but sources.yml now "
                f"declares {kind} — drop {RAW_SCHEMA}.{name} (DROP TABLE {target}) so every file reloads "
                "with the new type, or restore the old type in sources.yml"
            )
    return name


def _database_label(spec: SourceTable, landing_dir: Path) -> str:
    if spec.format == "sqlite":
        return f"sqlite:{spec.database_path(landing_dir)}#{spec.table}"
    return f"postgres:{spec.shown_location}#{spec.table}"


def _without_password(text: str, conninfo: str) -> str:
    """``text`` (a driver message that may echo the connection string) with the password of
    ``conninfo`` replaced by ``***``, wherever and however it appears."""
    passwords = set(re.findall(r"password\s*=\s*([^\s&]+)", conninfo, flags=re.IGNORECASE))
    with suppress(ValueError):  # not a URI: the key=value form is covered above
        passwords.add(urlsplit(conninfo).password or "")
    redacted = redact_conninfo(text)
    for password in sorted(passwords | {unquote(p) for p in passwords}, key=len, reverse=True):
        if password:
            redacted = redacted.replace(password, "***")
    return redacted


def file_fingerprint(path: Path) -> tuple[str, int]:
    """A file's sha256 (hex) and size in bytes, read in chunks: the key of the load ledger."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _looks_utf16(source: str) -> bool:
    """A UTF-16 byte order mark, or the NUL bytes UTF-16 puts beside ASCII text, at the file's start."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4


def _empty_file_error(source: str, source_format: str) -> SourceReadError:
    """An export with nothing in it: most likely interrupted, so it is refused rather than loaded."""
    what = {"csv": "not even a header row", "jsonl": "not one JSON line"}.get(source_format, "0 bytes")
    return SourceReadError(
        f"{source}: the file is empty ({what}) — the export was probably interrupted; re-export it, "
        "or delete it if the source has no data"
    )


def _read_error(
    source: str, source_format: str, error: Exception, encoding: str = "utf-8"
) -> SourceReadError:
    """Turn a DuckDB / sqlite reader error into a message that says what is wrong and what to do."""
    said = str(error).strip()
    lowered = said.lower()
    if source_format in ("csv", "jsonl") and encoding != "utf-16" and _looks_utf16(source):
        # DuckDB reports a UTF-16 file as unparseable CSV / JSON; its byte order mark says why.
        hint = (
            "it is UTF-16 encoded, not UTF-8 — re-export it as UTF-8, or declare `encoding: utf-16` for "
            "it in sources.yml (csv only)"
        )
    elif any(said in lowered for said in ("invalid unicode", "not utf-8", "invalid utf-8", "byte sequence")):
        hint = (
            "it is not UTF-8 encoded — re-export it as UTF-8, or declare its encoding in sources.yml "
            "(encoding: latin-1 or utf-16, csv only)"
        )
    elif source_format == "parquet" and ("magic bytes" in lowered or "too small" in lowered):
        hint = "it is not a Parquet file (or it is truncated) — re-export it as Parquet, or fix `format`"
    elif source_format == "jsonl" and "json" in lowered:
        hint = (
            "a line is not a complete JSON object (the file may be truncated) — "
            "re-export the complete file as one JSON object per line"
        )
    elif source_format == "csv":
        hint = (
            "a row does not parse as CSV (unterminated quote, missing or extra fields: the file may be "
            "truncated) — re-export the complete file, comma-separated with a header row"
        )
    else:
        hint = f"check that it is a complete {source_format} export"
    return SourceReadError(
        f"{source}: cannot be read as {source_format}: {hint}. (DuckDB: {_first_lines(said)})"
    )


def _match_columns(
    source: str, declared: list[str], found: list[str], *, how: str = "file"
) -> dict[str, str]:
    """Map each declared column to the name it has in the source, or raise ``SourceSchemaError``.

    Names are matched ignoring case and surrounding spaces, as DuckDB identifiers are.
    """
    by_normal: dict[str, str] = {}
    repeated = []
    for name in found:
        normal = name.strip().lower()
        if normal in by_normal:
            repeated.append(name)
        by_normal[normal] = name
    if repeated:
        raise SourceSchemaError(
            f"{source}: column(s) {', '.join(map(repr, repeated))} appear more than once in the {how} — "
            "fix the export so every column name is unique"
        )
    missing = [column for column in declared if column not in by_normal]
    unexpected = [by_normal[normal] for normal in by_normal if normal not in declared]
    if found and len(missing) == len(declared):
        # Nothing matches: not a drifted export but a missing header row or a different file.
        if all(re.fullmatch(r"column\d+", name) for name in found):
            raise SourceReadError(
                f"{source}: the first line is empty, so the file has no header row — re-export it with "
                "a header row naming the columns"
            )
        shown = ", ".join(map(repr, found[:5])) + (", ..." if len(found) > 5 else "")
        raise SourceSchemaError(
            f"{source}: none of the columns declared in sources.yml are in the {how} (found {shown}) — "
            "the file may lack its header row or be a different export; re-export it with the declared "
            "columns, or fix `location` in sources.yml"
        )
    if missing and unexpected:
        if len(missing) == 1 and len(unexpected) == 1:
            raise SourceSchemaError(
                f"{source}: column {missing[0]!r} is missing and {unexpected[0]!r} is unexpected — "
                "it looks renamed; rename it back in the export or update sources.yml"
            )
        raise SourceSchemaError(
            f"{source}: columns {', '.join(map(repr, missing))} are missing and "
            f"{', '.join(map(repr, unexpected))} are unexpected — they look renamed; rename them back in "
            "the export or update sources.yml"
        )
    if missing:
        raise SourceSchemaError(
            f"{source}: column(s) {', '.join(map(repr, missing))} declared in sources.yml are missing from "
            f"the {how} — add them to the export, or remove them from sources.yml if the source dropped them"
        )
    if unexpected:
        raise SourceSchemaError(
            f"{source}: column(s) {', '.join(map(repr, unexpected))} are not declared in sources.yml — "
            "add them to columns in sources.yml, or remove them from the export"
        )
    return {column: by_normal[column] for column in declared}


def _parquet_compatible(declared: str, physical: str) -> bool:
    """Whether a Parquet column's physical type can hold values of the declared type without guessing."""
    if physical == '"NULL"':
        return True
    is_decimal = physical.startswith("DECIMAL")
    if declared == "varchar":
        return physical == "VARCHAR"
    if declared == "bigint":
        return physical in _INTEGER_TYPES or (is_decimal and physical.replace(" ", "").endswith(",0)"))
    if declared == "double" or declared.startswith("decimal"):
        return physical in _INTEGER_TYPES or physical in _FLOAT_TYPES or is_decimal
    if declared == "boolean":
        return physical == "BOOLEAN"
    if declared == "date":
        return physical == "DATE"
    if declared == "timestamp":
        return physical in _TIMESTAMP_TYPES or physical == "DATE"
    if declared == "timestamptz":
        return physical == "TIMESTAMP WITH TIME ZONE"
    return False


class _TableLoad:
    """Loads the sources of one registry table; one instance per ``ingest_table`` call."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: SourceTable,
        system: str,
        table: str,
        raw_table: str,
        load_id: str,
        landing_dir: Path,
        accept_redelivery: Collection[str] = (),
    ) -> None:
        self.con = con
        self.spec = spec
        self.system = system
        self.table = table
        self.target = qualified(RAW_SCHEMA, raw_table)
        self.load_id = load_id
        self.landing_dir = landing_dir
        self.accept_redelivery = tuple(accept_redelivery)
        # Each file of a load gets its own _loaded_at: with _load_id it names the file's version.
        self._last_loaded_at: datetime | None = None
        self.declared = list(spec.columns)
        # Text sources hold strings that are cast here; Parquet holds native types checked up front.
        self.text_source = spec.format != "parquet"

    # -- sources -------------------------------------------------------------------------------

    def _already_loaded(self, source_file: str, sha256: str) -> bool:
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

    def _versions_in_force(self, source_file: str | None = None) -> list[tuple[str, str, datetime, int]]:
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

    def _check_redelivery(self, source_file: str) -> tuple[tuple[str, str, datetime, int], ...]:
        """The versions a re-delivery staged in ``_ingest_read`` replaces, after the row-count guard.

        Raises ``RedeliveryRefusedError`` (dropping the staged rows) when the new version holds fewer
        rows than ``redelivery_min_ratio`` of the latest one and the file is not accepted explicitly.
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
            self._drop_temp_tables()
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
        removed: dict[str, list[tuple[str, str, datetime, int]]] = {}
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
        version: tuple[str, str, datetime, int],
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

    def file(self, path: Path) -> FileLoadDetail:
        """Load one export file, or skip it if this exact content was loaded from this path before."""
        source_file = str(path)
        sha256, size = file_fingerprint(path)
        if self._already_loaded(source_file, sha256):
            return FileLoadDetail(source_file, "skipped_unchanged", sha256, size)
        if size == 0:
            raise _empty_file_error(source_file, self.spec.format)
        try:
            # Materialised outside the load transaction: rows inserted inside one get provisional rowids,
            # and the rowid of a committed CTAS is what numbers the rows in file order.
            self._materialise_src(source_file, self._stage_file(path))
        except IngestionError:
            self._drop_temp_tables()
            raise
        return self._load_staged(source_file, sha256, size, self._check_redelivery(source_file))

    def database(self, landing_dir: Path) -> FileLoadDetail:
        """Extract a database table (whole, or from its high-water mark on) and load it unless the
        extracted rows are unchanged."""
        source_file = _database_label(self.spec, landing_dir)
        since = self._high_water_mark(source_file)
        size = 0
        try:
            if self.spec.format == "sqlite":
                database = self.spec.database_path(landing_dir)
                self._stage_sqlite(database, source_file, since)
                size = database.stat().st_size
            else:
                self._stage_postgres(source_file, since)
        except IngestionError:
            self._drop_temp_tables()
            raise
        high_water_mark, at_mark = None, "true"
        if self.spec.incremental_column:
            column = self.spec.incremental_column
            typed = self._cast_expression(column, self._value_expression(column))
            extracted, mark = self.con.execute(
                f"SELECT count(*), arg_max({identifier(column)}, {typed}) FROM _ingest_src"
            ).fetchall()[0]
            if since is not None and not extracted:
                self._drop_temp_tables()
                return FileLoadDetail(source_file, "skipped_unchanged")
            high_water_mark = mark if mark is not None else since
            if mark is not None:
                # Only the rows at the new mark: the next run reads exactly those again if nothing
                # changed. (Without a mark the next run reads everything again: all rows count.)
                at_mark = f"{typed} = (SELECT max({typed}) FROM _ingest_src)"
        # Order-sensitive digest of the extract: a row hash per row, hashed again in row order.
        sha256 = self.con.execute(
            "SELECT sha256(coalesce(string_agg(md5(to_json(struct_pack("
            + ", ".join(f"{identifier(c)} := {identifier(c)}" for c in self.declared)
            + f"))::VARCHAR), '' ORDER BY _source_row_number), '')) FROM _ingest_src WHERE {at_mark}"
        ).fetchall()[0][0]
        if self._already_loaded(source_file, sha256):
            self._drop_temp_tables()
            return FileLoadDetail(source_file, "skipped_unchanged", sha256, size)
        replaced = self._check_redelivery(source_file)
        return self._load_staged(source_file, sha256, size, replaced, high_water_mark)

    def _high_water_mark(self, source_file: str) -> str | None:
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

    @property
    def entry(self) -> str:
        """The table's entry in sources.yml, as messages name it."""
        return f"tables[{self.system}.{self.table}] in sources.yml"

    # -- staging: source -> _ingest_src (declared names, row numbers) --------------------------------

    def _stage_file(self, path: Path) -> str:
        """Check the file's columns and return the SELECT that reads it under the declared names."""
        source = str(path)
        fmt = self.spec.format
        try:
            if fmt == "csv":
                # No comment character and no skipped lines: left to sniff, DuckDB takes '#' for a
                # comment when rows start with it (order numbers like #1001) and silently drops them.
                reader = (
                    "read_csv($file, all_varchar = true, header = true, delim = "
                    f"{literal(self.spec.delimiter)}, quote = '\"', escape = '\"', comment = '', skip = 0, "
                    f"encoding = {literal(self.spec.encoding)})"
                )
                described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}", {"file": source}).fetchall()
                mapping = _match_columns(source, self.declared, [row[0] for row in described], how="header")
                select = ", ".join(f"{identifier(mapping[c])} AS {identifier(c)}" for c in self.declared)
                return f"SELECT {select} FROM {reader}"
            if fmt == "jsonl":
                self.con.execute(
                    "CREATE OR REPLACE TEMP TABLE _ingest_json AS "
                    "SELECT json FROM read_ndjson_objects($file)",
                    {"file": source},
                )
                if not self.con.execute("SELECT count(*) FROM _ingest_json").fetchall()[0][0]:
                    # Only blank lines or a byte order mark: as empty as a zero-byte file.
                    raise _empty_file_error(source, fmt)
                keys = [
                    row[0]
                    for row in self.con.execute(
                        "SELECT DISTINCT unnest(json_keys(json)) FROM _ingest_json ORDER BY 1"
                    ).fetchall()
                ]
                mapping = _match_columns(source, self.declared, keys, how="JSON keys")
                select = ", ".join(
                    f"json ->> {literal('$.' + _json_path_key(mapping[c]))} AS {identifier(c)}"
                    for c in self.declared
                )
                return f"SELECT {select}, json AS _raw_json FROM _ingest_json"
            described = self.con.execute(
                "DESCRIBE SELECT * FROM read_parquet($file)", {"file": source}
            ).fetchall()
        except duckdb.Error as error:
            raise _read_error(source, fmt, error, self.spec.encoding) from error
        physical = {row[0]: row[1] for row in described}
        mapping = _match_columns(source, self.declared, list(physical))
        for column in self.declared:
            declared_type = self.spec.columns[column]
            found = physical[mapping[column]]
            if not _parquet_compatible(declared_type, found):
                raise SourceSchemaError(
                    f"{source}: column {column!r} is {found} in the file but sources.yml declares "
                    f"{declared_type} — it looks retyped; write it as {declared_type} in the export, "
                    "or change its type in sources.yml"
                )
        select = ", ".join(f"{identifier(mapping[c])} AS {identifier(c)}" for c in self.declared)
        return f"SELECT {select}, file_row_number FROM read_parquet($file, file_row_number = true)"

    def _materialise_src(self, source: str, reader_select: str) -> None:
        """Run the reader into ``_ingest_read`` and expose it as ``_ingest_src`` with row numbers.

        Row numbers are 1-based positions among the data rows: Parquet's own ``file_row_number``,
        else the rowid of the committed CTAS, which keeps the reader's order (preserve_insertion_order).
        """
        parameters = {"file": source} if "$file" in reader_select else {}
        try:
            if self.spec.format == "parquet":
                self.con.execute(
                    "CREATE OR REPLACE TEMP TABLE _ingest_read AS "
                    "SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _source_row_number "
                    f"FROM ({reader_select})",
                    parameters,
                )
                self._expose_src(numbered=True)
            else:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _ingest_read AS {reader_select}", parameters)
                self._expose_src(numbered=False)
        except duckdb.Error as error:
            raise _read_error(source, self.spec.format, error, self.spec.encoding) from error

    def _expose_src(self, numbered: bool) -> None:
        # A view, not a copy: the staged rows are the largest thing a load holds.
        number = "" if numbered else ", rowid + 1 AS _source_row_number"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW _ingest_src AS SELECT *{number} FROM _ingest_read")

    def _stage_arrow(self, reader: pa.RecordBatchReader) -> None:
        """Stream Arrow batches of text columns plus ``_source_row_number`` into ``_ingest_read``.

        DuckDB scans the reader set-based, one batch at a time, so a table larger than memory streams.
        """
        self.con.register("_ingest_arrow", reader)
        try:
            self.con.execute("CREATE OR REPLACE TEMP TABLE _ingest_read AS SELECT * FROM _ingest_arrow")
            self._expose_src(numbered=True)
        finally:
            self.con.unregister("_ingest_arrow")

    def _stage_sqlite(self, database: Path, source_file: str, since: str | None) -> None:
        """Extract a SQLite table into ``_ingest_src`` through stdlib sqlite3, from ``since`` on if given."""
        if not database.is_file():
            raise SourceReadError(
                f"{source_file}: the SQLite database {database} does not exist — put it there or fix "
                f"`location` of {self.entry}"
            )
        try:
            # DuckDB pulls the Arrow stream from its own worker thread; only one thread reads at a time.
            connection = sqlite3.connect(
                f"{database.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _read_error(source_file, "sqlite", error) from error
        try:
            table = str(self.spec.table)
            found = [row[1] for row in connection.execute(f"PRAGMA table_info({identifier(table)})")]
            if not found:
                raise SourceReadError(
                    f"{source_file}: the database has no table {table!r} — fix `table:` of {self.entry}"
                )
            mapping = _match_columns(f"{source_file} ({self.entry})", self.declared, found, how="table")
            # Casting in SQLite gives Arrow one type per column even where SQLite mixes them per row.
            select = ", ".join(f"CAST({identifier(mapping[c])} AS TEXT)" for c in self.declared)
            where, parameters = "", []
            column = self.spec.incremental_column
            if since is not None and column:
                # The mark is a value as SQLite wrote it: compared as the column's own values compare.
                where, parameters = f" WHERE {identifier(mapping[column])} >= ?", [since]
            order = " ORDER BY rowid" if _has_rowid(connection, table) else ""
            cursor = connection.execute(f"SELECT {select} FROM {identifier(table)}{where}{order}", parameters)
            schema = pa.schema(
                [pa.field(c, pa.string()) for c in self.declared]
                + [pa.field("_source_row_number", pa.int64())]
            )
            self._stage_arrow(pa.RecordBatchReader.from_batches(schema, _sqlite_batches(cursor, schema)))
        except sqlite3.Error as error:
            raise _read_error(source_file, "sqlite", error) from error
        finally:
            connection.close()

    def _stage_postgres(self, source_file: str, since: str | None) -> None:
        """Extract a PostgreSQL table into ``_ingest_src`` with ADBC's libpq driver, streamed as Arrow.

        Every driver message is redacted before it is raised, and raised outside the ``except`` so the
        original (which may echo the connection string) is not chained to it.
        """
        try:
            connection = pg_dbapi.connect(self.spec.location, autocommit=True)
        except adbc_driver_manager.Error as error:
            said = _without_password(str(error), self.spec.location)
        else:
            try:
                with connection.cursor() as cursor:
                    self._extract_postgres(cursor, source_file, since)
                return
            except (adbc_driver_manager.Error, duckdb.Error) as error:
                said = _without_password(str(error), self.spec.location)
            finally:
                connection.close()
            raise SourceReadError(
                f"{source_file}: reading {self.spec.table!r} from PostgreSQL failed: "
                f"{_first_lines(said)} — check that the user in `location` of {self.entry} may read it"
            )
        lowered = said.lower()
        if "password" in lowered or "authentication" in lowered:
            hint = (
                "the user or password is wrong: check the user in `location` and the environment variable "
                "that holds the password (e.g. ${PGPASSWORD})"
            )
        else:
            hint = (
                "check the host, port and database name in `location`, and that the server is running and "
                "accepts connections from this machine"
            )
        raise SourceReadError(
            f"{source_file}: cannot connect to PostgreSQL for {self.entry}: {_first_lines(said)} — {hint}"
        )

    def _extract_postgres(self, cursor: pg_dbapi.Cursor, source_file: str, since: str | None) -> None:
        """Check the table's columns, then stream it ordered by primary key into ``_ingest_read``."""
        table = str(self.spec.table)
        # Session settings that make the text of every value the same from run to run.
        cursor.execute("SET TimeZone TO 'UTC'")
        cursor.execute("SET DateStyle TO 'ISO, YMD'")
        # to_regclass resolves the name as SQL would (search_path, unquoted names folded to lowercase).
        cursor.execute(
            "SELECT CAST(to_regclass($1) AS text), attname, format_type(atttypid, atttypmod) "
            "FROM (SELECT to_regclass($1) AS oid) AS t "
            "LEFT JOIN pg_attribute ON attrelid = t.oid AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            parameters=(table,),
        )
        found = cursor.fetchall()
        if not found or found[0][0] is None:
            raise SourceReadError(
                f"{source_file}: the database has no table {table!r} (or the user in `location` cannot see "
                f"it) — create it, grant access, or fix `table:` of {self.entry}"
            )
        relation = found[0][0]
        types = {name: kind for _, name, kind in found}
        mapping = _match_columns(f"{source_file} ({self.entry})", self.declared, list(types), how="table")
        select = ", ".join(
            f"CAST({identifier(mapping[c])} AS text) AS {identifier(c)}" for c in self.declared
        )
        # Primary key first, then every column as text: a stable order whatever the types, so an
        # unchanged table hashes the same and duplicate keys keep the same first row.
        order = ", ".join(
            [identifier(mapping[c]) for c in self.spec.primary_key]
            + [f"CAST({identifier(mapping[c])} AS text)" for c in self.declared]
        )
        where, parameters = "", None
        column = self.spec.incremental_column
        if since is not None and column:
            where = f" WHERE {identifier(mapping[column])} >= CAST($1 AS {types[mapping[column]]})"
            parameters = (since,)
        cursor.execute(
            f"SELECT {select}, row_number() OVER (ORDER BY {order}) AS _source_row_number "
            f"FROM {relation}{where} ORDER BY _source_row_number",
            parameters=parameters,
        )
        self._stage_arrow(cursor.fetch_record_batch())

    # -- checking and loading ----------------------------------------------------------------------

    def _value_expression(self, column: str) -> str:
        """The source value of a column as it will be cast: blank text counts as missing, except varchar."""
        if self.text_source and self.spec.columns[column] != "varchar":
            return f"NULLIF(TRIM({identifier(column)}), '')"
        return identifier(column)

    def _cast_expression(self, column: str, value: str) -> str:
        """SQL that casts ``value`` (a column of source values) to the column's declared type, or NULL."""
        declared = self.spec.columns[column]
        if declared == "varchar":
            return value if self.text_source else f"TRY_CAST({value} AS VARCHAR)"
        if not self.text_source:
            return f"TRY_CAST({value} AS {_duckdb_type(declared)})"
        if declared == "bigint":
            # TRY_CAST would round '12.7' to 13; only whole numbers are integers.
            whole = f"regexp_full_match({value}, '[+-]?[0-9]+(\\.0*)?')"
            return f"CASE WHEN {whole} THEN TRY_CAST({value} AS BIGINT) END"
        if declared == "timestamp":
            # A plain cast drops a UTC offset silently; values that carry one are converted to UTC instead.
            # Only those take the (slower) time-zone-aware cast.
            time_part = f"substr({value}, 11)"
            has_offset = (
                f"(contains({time_part}, '+') OR contains({time_part}, '-') "
                f"OR suffix({value}, 'Z') OR suffix({value}, 'z'))"
            )
            in_utc = f"TRY_CAST(TRY_CAST({value} AS TIMESTAMP WITH TIME ZONE) AS TIMESTAMP)"
            return f"CASE WHEN {has_offset} THEN {in_utc} ELSE TRY_CAST({value} AS TIMESTAMP) END"
        return f"TRY_CAST({value} AS {_duckdb_type(declared)})"

    def _build_checked(self, future_bound: tuple[datetime, str] | None) -> None:
        """``_ingest_checked``: typed values plus the rule, column and detail for rows that fail.

        Each value is cast once (``typed``); every rule then compares the cast with the source value.
        ``future_bound`` is the latest instant (UTC) a ``not_in_future`` column may hold, and why.
        """
        spec = self.spec
        values = {column: f"_v_{column}" for column in self.declared}
        value_columns = [f"{self._value_expression(c)} AS {identifier(values[c])}" for c in self.declared]
        typed_columns = [
            f"{self._cast_expression(c, identifier(values[c]))} AS {identifier(c)}" for c in self.declared
        ]
        bad_names, bad_details, bad_conditions = [], [], []
        for column in self.declared:
            if self.text_source and spec.columns[column] == "varchar":
                continue
            failed = f"({identifier(values[column])} IS NOT NULL AND {identifier(column)} IS NULL)"
            bad_conditions.append(failed)
            bad_names.append(f"CASE WHEN {failed} THEN {literal(column)} END")
            bad_details.append(
                f"CASE WHEN {failed} THEN {literal(column + '=')} || "
                f"{_quoted(f'CAST({identifier(values[column])} AS VARCHAR)')} || "
                f"{literal(' is not a valid ' + spec.columns[column])} END"
            )

        def missing(column: str) -> str:
            value = identifier(values[column])
            if spec.columns[column] == "varchar":
                return f"NULLIF(TRIM({value}), '') IS NULL"
            return f"{value} IS NULL"

        null_pk = [f"CASE WHEN {missing(c)} THEN {literal(c)} END" for c in spec.primary_key]
        not_null = [c for c in spec.not_null if c not in spec.primary_key]
        null_required = [f"CASE WHEN {missing(c)} THEN {literal(c)} END" for c in not_null]
        null_pk_conditions = [f"({missing(c)})" for c in spec.primary_key]
        null_required_conditions = [f"({missing(c)})" for c in not_null]
        broken_rules, broken_conditions = self._row_rule_checks(future_bound)

        def listed(items: list[str], conditions: list[str]) -> str:
            # Lists are built only for rows that fail: building one per row would dominate large loads.
            if not items:
                return "[]::VARCHAR[]"
            return (
                f"CASE WHEN {' OR '.join(conditions)} "
                f"THEN list_filter([{', '.join(items)}]::VARCHAR[], lambda x: x IS NOT NULL) "
                "ELSE []::VARCHAR[] END"
            )

        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _ingest_checked AS
            WITH source_values AS (
                SELECT _source_row_number, {", ".join(value_columns)} FROM _ingest_src
            ),
            typed AS (
                SELECT *, {", ".join(typed_columns)} FROM source_values
            ),
            flagged AS (
                SELECT
                    _source_row_number,
                    {", ".join(identifier(c) for c in self.declared)},
                    {listed(null_pk, null_pk_conditions)} AS _null_pk,
                    {listed(bad_names, bad_conditions)} AS _bad_type,
                    {listed(bad_details, bad_conditions)} AS _bad_type_detail,
                    {listed(null_required, null_required_conditions)} AS _null_required,
                    {self._listed_rules(broken_rules, broken_conditions)} AS _broken_rules
                FROM typed
            )
            SELECT
                * EXCLUDE (_null_pk, _null_required, _broken_rules),
                CASE
                    WHEN len(_null_pk) > 0 THEN {literal(RULE_NULL_PRIMARY_KEY)}
                    WHEN len(_bad_type) > 0 THEN {literal(RULE_INVALID_TYPE)}
                    WHEN len(_null_required) > 0 THEN {literal(RULE_NULL_REQUIRED)}
                    WHEN len(_broken_rules) > 0 THEN _broken_rules[1].rule
                END AS _rule,
                CASE
                    WHEN len(_null_pk) > 0 THEN _null_pk[1]
                    WHEN len(_bad_type) > 0 THEN _bad_type[1]
                    WHEN len(_null_required) > 0 THEN _null_required[1]
                    WHEN len(_broken_rules) > 0 THEN _broken_rules[1].column_name
                END AS _column_name,
                CASE WHEN len(_null_pk) > 0 OR len(_bad_type) > 0 OR len(_null_required) > 0
                        OR len(_broken_rules) > 0
                    THEN concat_ws('; ',
                        CASE WHEN len(_null_pk) > 0
                            THEN 'primary key column(s) empty: ' || array_to_string(_null_pk, ', ') END,
                        CASE WHEN len(_bad_type) > 0 THEN array_to_string(_bad_type_detail, '; ') END,
                        CASE WHEN len(_null_required) > 0
                            THEN 'required column(s) empty: ' || array_to_string(_null_required, ', ') END,
                        CASE WHEN len(_broken_rules) > 0
                            THEN array_to_string(list_transform(_broken_rules, lambda r: r.detail), '; ') END)
                END AS _detail
            FROM flagged
            """
        )
        self._flag_duplicates()

    def _row_rule_checks(self, future_bound: tuple[datetime, str] | None) -> tuple[list[str], list[str]]:
        """SQL for the sources.yml row rules: one struct per broken rule, and its condition.

        Conditions read the cast (``typed``) values, so a value that did not cast, or is empty, breaks
        no row rule (``invalid_type`` and ``null_required`` cover those).
        """
        structs: list[str] = []
        conditions: list[str] = []
        for column, rules in self.spec.rules.items():
            value = identifier(column)
            # (rule, condition on the typed value, what the detail says after "column='value'")
            checks: list[tuple[str, str, str]] = []
            if rules.min is not None:
                checks.append(
                    (RULE_OUT_OF_RANGE, f"{value} < {rules.min!r}", f"is below the minimum {rules.min:g}")
                )
            if rules.max is not None:
                checks.append(
                    (RULE_OUT_OF_RANGE, f"{value} > {rules.max!r}", f"is above the maximum {rules.max:g}")
                )
            if rules.allowed_values:
                allowed = ", ".join(literal(v) for v in rules.allowed_values)
                checks.append(
                    (
                        RULE_NOT_ALLOWED_VALUE,
                        f"CAST({value} AS VARCHAR) NOT IN ({allowed})",
                        "is not one of " + ", ".join(map(repr, rules.allowed_values)),
                    )
                )
            if rules.not_in_future and future_bound is not None:
                bound, reason = future_bound
                if self.spec.columns[column] == "timestamptz":
                    condition = f"{value} > TIMESTAMPTZ {literal(bound.isoformat())}"
                else:
                    naive = bound.astimezone(UTC).replace(tzinfo=None).isoformat()
                    condition = f"CAST({value} AS TIMESTAMP) > TIMESTAMP {literal(naive)}"
                checks.append((RULE_IN_FUTURE, condition, f"is after {reason}"))
            exempt = self._unless_sql(rules)
            shown = f"{literal(column + '=')} || {_quoted(f'CAST({value} AS VARCHAR)')}"
            for rule, condition, said in checks:
                guarded = f"({condition}{exempt})"
                detail = f"{shown} || {literal(' ' + said)}"
                conditions.append(guarded)
                structs.append(
                    f"CASE WHEN {guarded} THEN {{'rule': {literal(rule)}, "
                    f"'column_name': {literal(column)}, 'detail': {detail}}} END"
                )
        return structs, conditions

    def _unless_sql(self, rules: ColumnRules) -> str:
        """`` AND NOT (...)`` exempting rows whose other columns hold an ``unless`` value."""
        if not rules.unless:
            return ""
        exempt = " OR ".join(
            f"coalesce(CAST({identifier(other)} AS VARCHAR) IN ({', '.join(map(literal, values))}), false)"
            for other, values in rules.unless.items()
        )
        return f" AND NOT ({exempt})"

    @staticmethod
    def _listed_rules(structs: list[str], conditions: list[str]) -> str:
        # As for the other rules: the list is only built for rows that break one.
        empty = "CAST([] AS STRUCT(rule VARCHAR, column_name VARCHAR, detail VARCHAR)[])"
        if not structs:
            return empty
        return (
            f"CASE WHEN {' OR '.join(conditions)} "
            f"THEN list_filter([{', '.join(structs)}], lambda x: x IS NOT NULL) ELSE {empty} END"
        )

    def _future_bound(self, source_file: str | None, loaded_at: datetime) -> tuple[datetime, str] | None:
        """The latest instant a ``not_in_future`` value may hold in this source, with the reason."""
        if not any(rules.not_in_future for rules in self.spec.rules.values()):
            return None
        load_bound = (loaded_at, f"the load time {loaded_at:%Y-%m-%d %H:%M} UTC")
        period = file_period(source_file) if source_file else None
        if period is None:
            return load_bound
        next_month = date(period.year + period.month // 12, period.month % 12 + 1, 1)
        period_bound = datetime(next_month.year, next_month.month, next_month.day, tzinfo=UTC) + FUTURE_SLACK
        if period_bound >= loaded_at:
            return load_bound
        return (
            period_bound,
            f"the end of the file's period {period:%Y-%m} (plus {FUTURE_SLACK.days} day of time-zone slack)",
        )

    def _flag_duplicates(self) -> None:
        """File every repeat of a primary key within the file under ``duplicate_primary_key``.

        Only rows that pass every other rule count, so the first valid row of each key is kept even
        when an earlier row with that key was quarantined. A grouped count finds the repeated keys
        first, so the window that numbers repeats only sees their rows: sorting every row of a
        large file by key would cost more than the rest of the load.
        """
        spec = self.spec
        key = ", ".join(identifier(c) for c in spec.primary_key)
        key_names = ", ".join(spec.primary_key)
        key_text = " || ', ' || ".join(_quoted(f"CAST({identifier(c)} AS VARCHAR)") for c in spec.primary_key)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _ingest_duplicates AS
            WITH valid AS (
                SELECT _source_row_number, {key} FROM _ingest_checked WHERE _rule IS NULL
            ),
            repeated_keys AS (
                SELECT {key} FROM valid GROUP BY ALL HAVING count(*) > 1
            ),
            numbered AS (
                SELECT
                    _source_row_number,
                    {key},
                    min(_source_row_number) OVER (PARTITION BY {key}) AS first_row
                FROM valid SEMI JOIN repeated_keys USING ({key})
            )
            SELECT
                _source_row_number,
                {literal(f"primary key ({key_names}) = (")} || {key_text}
                    || ') already appears on row ' || first_row || ' of this file' AS detail
            FROM numbered
            WHERE _source_row_number > first_row
            """
        )
        self.con.execute(
            f"""
            UPDATE _ingest_checked AS c
            SET _rule = {literal(RULE_DUPLICATE_PRIMARY_KEY)},
                _column_name = {literal(key_names)},
                _detail = d.detail
            FROM _ingest_duplicates AS d
            WHERE c._source_row_number = d._source_row_number
            """
        )

    def _check_retyped(self, source: str) -> None:
        """Stop the file if a column has values but not one of them casts to the declared type."""
        checked = [c for c in self.declared if not (self.text_source and self.spec.columns[c] == "varchar")]
        if not checked:
            return
        aggregates = []
        for column in checked:
            failed = f"list_contains(_bad_type, {literal(column)})"
            sample = f"list_filter(_bad_type_detail, lambda d: starts_with(d, {literal(column + '=')}))[1]"
            aggregates += [
                f"count({identifier(column)})",
                f"count(*) FILTER (WHERE {failed})",
                f"any_value({sample}) FILTER (WHERE {failed})",
            ]
        counts = self.con.execute(f"SELECT {', '.join(aggregates)} FROM _ingest_checked").fetchall()[0]
        for index, column in enumerate(checked):
            cast, failed, sample = counts[3 * index : 3 * index + 3]
            if failed > 0 and cast == 0:
                declared = self.spec.columns[column]
                raise SourceSchemaError(
                    f"{source}: column {column!r} is declared {declared} but none of its {failed:,} values "
                    f"can be read as {declared} (e.g. {sample}) — it looks retyped; fix the export, or "
                    "change its type in sources.yml"
                )

    def _drop_temp_tables(self) -> None:
        self.con.execute("DROP VIEW IF EXISTS _ingest_src")
        for temp in ("_ingest_json", "_ingest_read", "_ingest_checked", "_ingest_duplicates"):
            self.con.execute(f"DROP TABLE IF EXISTS {temp}")

    def _load_staged(
        self,
        source_file: str,
        sha256: str,
        size: int,
        replaced: tuple[tuple[str, str, datetime, int], ...] = (),
        high_water_mark: str | None = None,
    ) -> FileLoadDetail:
        """Check ``_ingest_src`` and move its rows into the raw table and quarantine, all or nothing.

        ``replaced`` are the versions of this file the new one withdraws (``replace`` tables), in the
        same transaction; ``high_water_mark`` is recorded in the ledger for the incremental column.
        The temp tables are dropped whatever happens, so a failed file leaves nothing behind.
        """
        con = self.con
        loaded_at = datetime.now(UTC)
        if self._last_loaded_at is not None and loaded_at <= self._last_loaded_at:
            loaded_at = self._last_loaded_at + timedelta(microseconds=1)
        self._last_loaded_at = loaded_at
        # Database extracts have no period in their name: only the load time bounds their dates.
        future_bound = self._future_bound(None if self.spec.is_database else source_file, loaded_at)
        con.execute("BEGIN TRANSACTION")
        try:
            self._build_checked(future_bound)
            self._check_retyped(source_file)
            rows_read = con.execute("SELECT count(*) FROM _ingest_read").fetchall()[0][0]
            columns = ", ".join(identifier(c) for c in self.declared)
            rows_loaded = con.execute(
                f"INSERT INTO {self.target} ({columns}, {', '.join(LOAD_COLUMNS)}) "
                f"SELECT {columns}, ?, _source_row_number, ?, ? FROM _ingest_checked WHERE _rule IS NULL",
                [source_file, self.load_id, loaded_at],
            ).fetchall()[0][0]
            # A JSON line is kept as written (it may not even be an object); other sources as a JSON
            # object of their values under the declared names.
            record = (
                "s._raw_json"
                if self.spec.format == "jsonl"
                else "to_json(struct_pack("
                + ", ".join(f"{identifier(c)} := s.{identifier(c)}" for c in self.declared)
                + "))"
            )
            rows_quarantined = con.execute(
                f"INSERT INTO {RAW_SCHEMA}._quarantine "
                f"SELECT ?, ?, ?, ?, c._source_row_number, c._rule, c._column_name, c._detail, "
                f"CAST({record} AS VARCHAR), ? "
                "FROM _ingest_checked AS c JOIN _ingest_src AS s USING (_source_row_number) "
                "WHERE c._rule IS NOT NULL",
                [self.load_id, self.system, self.table, source_file, loaded_at],
            ).fetchall()[0][0]
            if rows_read != rows_loaded + rows_quarantined:
                raise AssertionError(
                    f"{source_file}: read {rows_read} rows but loaded {rows_loaded} and quarantined "
                    f"{rows_quarantined} — the loader lost or duplicated rows; nothing from this file "
                    "was kept"
                )
            by_rule = dict(
                con.execute(
                    "SELECT _rule, count(*) FROM _ingest_checked "
                    "WHERE _rule IS NOT NULL GROUP BY 1 ORDER BY 1"
                ).fetchall()
            )
            con.execute(
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
                    source_file,
                    sha256,
                    size,
                    rows_read,
                    rows_loaded,
                    rows_quarantined,
                    loaded_at,
                    self.spec.incremental_column if high_water_mark is not None else None,
                    high_water_mark,
                ],
            )
            withdrawn = 0
            if replaced:
                previous = replaced[0][3]
                reason = f"replaced by a re-delivery of the file with {rows_read:,} of {previous:,} rows"
                withdrawn = sum(
                    self._withdraw(version, reason, (self.load_id, loaded_at)) for version in replaced
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            self._drop_temp_tables()
        notice = ""
        if replaced:
            notice = self._redelivery_notice(source_file, rows_read, replaced[0][3], withdrawn)
        return FileLoadDetail(
            source_file,
            "loaded",
            sha256,
            size,
            rows_read,
            rows_loaded,
            rows_quarantined,
            by_rule,
            rows_withdrawn=withdrawn,
            notice=notice,
        )

    def _redelivery_notice(self, source_file: str, rows: int, previous: int, withdrawn: int) -> str:
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


def _quoted(expression: str) -> str:
    """SQL that renders a value for a message: quoted text, or ``null``."""
    return f"coalesce('''' || ({expression}) || '''', 'null')"


def _json_path_key(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_lines(said: str) -> str:
    """A driver message on one line, at most the first three lines of it."""
    return " | ".join(line.strip() for line in said.splitlines()[:3] if line.strip())[:400]


def _has_rowid(connection: sqlite3.Connection, table: str) -> bool:
    try:
        connection.execute(f"SELECT rowid FROM {identifier(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def _sqlite_batches(cursor: sqlite3.Cursor, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """Stream a sqlite3 cursor as Arrow batches of text columns plus a 1-based row number."""
    offset = 0
    width = len(schema) - 1
    while rows := cursor.fetchmany(_SQLITE_BATCH_ROWS):
        # zip(*rows) transposes the batch in C; Arrow then builds each column in one call.
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        arrays = [pa.array(column, type=pa.string()) for column in columns]
        arrays.append(pa.array(np.arange(offset + 1, offset + len(rows) + 1, dtype=np.int64)))
        offset += len(rows)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


__all__ = [
    "IN_FORCE_FILES_SQL",
    "LOAD_COLUMNS",
    "QUALITY_SCHEMA",
    "RAW_SCHEMA",
    "RULE_DUPLICATE_PRIMARY_KEY",
    "RULE_INVALID_TYPE",
    "RULE_IN_FUTURE",
    "RULE_NOT_ALLOWED_VALUE",
    "RULE_NULL_PRIMARY_KEY",
    "RULE_NULL_REQUIRED",
    "RULE_OUT_OF_RANGE",
    "FileLoadDetail",
    "IngestionError",
    "RedeliveryRefusedError",
    "SourceReadError",
    "SourceSchemaError",
    "TableLoadResult",
    "ensure_bookkeeping_tables",
    "in_force_sql",
    "ingest_table",
    "new_load_id",
]
