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

This module orchestrates; the steps live beside it: ``ledger`` (bookkeeping tables, fingerprints,
re-delivery and withdrawal), ``readers`` (sources staged as ``_ingest_src``, column matching, read
errors) and ``row_rules`` (typing, quarantine, row accounting), each working for one ``scope``
(connection, table, load id); ``results`` holds what a load reports. The names other modules and
tests import from here are re-exported below.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from orchestration.ingestion.landing import without_held
from orchestration.ingestion.ledger import (
    IN_FORCE_FILES_SQL,
    LOAD_COLUMNS,
    QUALITY_SCHEMA,
    RAW_SCHEMA,
    FileVersion,
    LoadLedger,
    ensure_bookkeeping_tables,
    file_fingerprint,
    in_force_sql,
    new_load_id,
    record_load,
)
from orchestration.ingestion.readers import (
    SourceStager,
    database_label,
    drop_temp_tables,
    empty_file_error,
)
from orchestration.ingestion.registry import SourceRegistry, SourceTable, raw_table_name
from orchestration.ingestion.results import (
    FileLoadDetail,
    IngestionError,
    RedeliveryRefusedError,
    SourceReadError,
    SourceSchemaError,
    TableLoadResult,
)
from orchestration.ingestion.row_rules import (
    RULE_DUPLICATE_PRIMARY_KEY,
    RULE_IN_FUTURE,
    RULE_INVALID_TYPE,
    RULE_NOT_ALLOWED_VALUE,
    RULE_NULL_PRIMARY_KEY,
    RULE_NULL_REQUIRED,
    RULE_OUT_OF_RANGE,
    RowRules,
    duckdb_type,
)
from orchestration.ingestion.scope import LoadScope
from orchestration.sql import identifier, qualified


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
    scope = LoadScope(con, spec, system, table, qualified(RAW_SCHEMA, raw_table), load_id)
    load = _TableLoad(scope, landing_dir, accept_redelivery)

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
        label = database_label(spec, landing_dir) if source is None else str(source)
        try:
            details.append(load.database(landing_dir) if source is None else load.file(source))
        except IngestionError as error:
            details.append(FileLoadDetail(source_file=label, status="failed", error=str(error)))
            errors.append(error)
    if matched:
        # Every matched file counts as present, held ones included: holding is not removing.
        details += load.ledger.withdraw_removed({str(source) for source in matched})

    result = TableLoadResult(load_id, system, table, f"{RAW_SCHEMA}.{raw_table}", tuple(details))
    record_load(con, result, started_at, errors, run_id)
    if errors:
        _raise_failures(errors, result)
    return result


def _raise_failures(errors: list[IngestionError], result: TableLoadResult) -> None:
    """Raise the first failure of a table load, or one error of its type listing every failure,
    carrying ``result`` (what the whole load did)."""
    first = errors[0]
    raised = (
        first
        if len(errors) == 1
        else type(first)(
            f"{len(errors)} sources of {result.system}.{result.table} failed to load:\n"
            + "\n".join(map(str, errors))
        )
    )
    raised.result = result
    if raised is first:
        raise raised
    raise raised from first


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
        columns = [f"{identifier(column)} {duckdb_type(kind)}" for column, kind in spec.columns.items()]
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
        wanted = duckdb_type(kind)
        if column not in existing:
            con.execute(f"ALTER TABLE {target} ADD COLUMN {identifier(column)} {wanted}")
        elif existing[column] != wanted:
            raise SourceSchemaError(
                f"{RAW_SCHEMA}.{name}.{column} is {existing[column]} in the warehouse but sources.yml now "
                f"declares {kind} — drop {RAW_SCHEMA}.{name} (DROP TABLE {target}) so every file reloads "
                "with the new type, or restore the old type in sources.yml"
            )
    return name


class _TableLoad:
    """Loads the sources of one registry table; one instance per ``ingest_table`` call.

    It runs each source through the readers (staging), the ledger (unchanged? re-delivered?) and the
    row rules, and holds the transaction that keeps a file's rows, quarantine and ledger row together.
    """

    def __init__(self, scope: LoadScope, landing_dir: Path, accept_redelivery: Collection[str] = ()) -> None:
        self.con = scope.con
        self.spec = scope.spec
        self.declared = scope.declared
        self.ledger = LoadLedger(scope, landing_dir, accept_redelivery)
        self.stager = SourceStager(scope)
        self.rules = RowRules(scope)
        # Each file of a load gets its own _loaded_at: with _load_id it names the file's version.
        self._last_loaded_at: datetime | None = None

    def file(self, path: Path) -> FileLoadDetail:
        """Load one export file, or skip it if this exact content was loaded from this path before."""
        source_file = str(path)
        sha256, size = file_fingerprint(path)
        if self.ledger.already_loaded(source_file, sha256):
            return FileLoadDetail(source_file, "skipped_unchanged", sha256, size)
        if size == 0:
            raise empty_file_error(source_file, self.spec.format)
        try:
            # Materialised outside the load transaction: rows inserted inside one get provisional rowids,
            # and the rowid of a committed CTAS is what numbers the rows in file order.
            self.stager.stage_file(path)
        except IngestionError:
            drop_temp_tables(self.con)
            raise
        return self._load_staged(source_file, sha256, size, self._replaced_versions(source_file))

    def database(self, landing_dir: Path) -> FileLoadDetail:
        """Extract a database table (whole, or from its high-water mark on) and load it unless the
        extracted rows are unchanged."""
        source_file = database_label(self.spec, landing_dir)
        since = self.ledger.high_water_mark(source_file)
        size = 0
        try:
            if self.spec.format == "sqlite":
                database = self.spec.database_path(landing_dir)
                self.stager.stage_sqlite(database, source_file, since)
                size = database.stat().st_size
            else:
                self.stager.stage_postgres(source_file, since)
        except IngestionError:
            drop_temp_tables(self.con)
            raise
        high_water_mark, at_mark = None, "true"
        if self.spec.incremental_column:
            column = self.spec.incremental_column
            typed = self.rules.cast_expression(column, self.rules.value_expression(column))
            extracted, mark = self.con.execute(
                f"SELECT count(*), arg_max({identifier(column)}, {typed}) FROM _ingest_src"
            ).fetchall()[0]
            if since is not None and not extracted:
                drop_temp_tables(self.con)
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
        if self.ledger.already_loaded(source_file, sha256):
            drop_temp_tables(self.con)
            return FileLoadDetail(source_file, "skipped_unchanged", sha256, size)
        replaced = self._replaced_versions(source_file)
        return self._load_staged(source_file, sha256, size, replaced, high_water_mark)

    def _replaced_versions(self, source_file: str) -> tuple[FileVersion, ...]:
        """The versions the staged re-delivery replaces; a refused one leaves no staged rows behind."""
        try:
            return self.ledger.check_redelivery(source_file)
        except RedeliveryRefusedError:
            drop_temp_tables(self.con)
            raise

    def _load_staged(
        self,
        source_file: str,
        sha256: str,
        size: int,
        replaced: tuple[FileVersion, ...] = (),
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
        con.execute("BEGIN TRANSACTION")
        try:
            counted = self.rules.file_rows(source_file, loaded_at)
            counted = replace(counted, file_sha256=sha256, file_bytes=size)
            self.ledger.record_file(counted, loaded_at, high_water_mark)
            withdrawn = self.ledger.withdraw_replaced(replaced, counted.rows_read, loaded_at)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            drop_temp_tables(con)
        if not replaced:
            return counted
        notice = self.ledger.redelivery_notice(source_file, counted.rows_read, replaced[0][3], withdrawn)
        return replace(counted, rows_withdrawn=withdrawn, notice=notice)


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
    "file_fingerprint",
    "in_force_sql",
    "ingest_table",
    "new_load_id",
]
