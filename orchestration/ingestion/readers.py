"""Readers: a source's rows staged in DuckDB under the columns sources.yml declares.

A file (CSV, JSONL, Parquet) is read by DuckDB's native readers; a database table (SQLite through
stdlib ``sqlite3``, PostgreSQL through ADBC's libpq driver) is streamed as Arrow record batches of
text. Either way the rows land in the temp table ``_ingest_read``, seen with 1-based row numbers
through the view ``_ingest_src``. Columns are matched to sources.yml here, and every reader error
becomes a ``SourceReadError`` or ``SourceSchemaError`` that says what is wrong and what to do; a
PostgreSQL password never reaches one of them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from urllib.parse import unquote, urlsplit

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as pg_dbapi
import duckdb
import numpy as np
import pyarrow as pa

from orchestration.ingestion.registry import SourceTable, redact_conninfo
from orchestration.ingestion.results import SourceReadError, SourceSchemaError
from orchestration.ingestion.scope import LoadScope
from orchestration.sql import identifier, literal

_SQLITE_BATCH_ROWS = 50_000

_INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
)
_FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})
_TIMESTAMP_TYPES = frozenset({"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"})


def database_label(spec: SourceTable, landing_dir: Path) -> str:
    """How a database extract is named in the ledger and in messages: its database and table."""
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


def _looks_utf16(source: str) -> bool:
    """A UTF-16 byte order mark, or the NUL bytes UTF-16 puts beside ASCII text, at the file's start."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4


def empty_file_error(source: str, source_format: str) -> SourceReadError:
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


class SourceStager(LoadScope):
    """Stages the sources of one registry table into ``_ingest_read`` / ``_ingest_src``."""

    def __init__(self, scope: LoadScope) -> None:
        self._share(scope)

    @property
    def entry(self) -> str:
        """The table's entry in sources.yml, as messages name it."""
        return f"tables[{self.system}.{self.table}] in sources.yml"

    # -- staging: source -> _ingest_src (declared names, row numbers) --------------------------------

    def stage_file(self, path: Path) -> None:
        """Check an export file's columns and read it into ``_ingest_read`` / ``_ingest_src``."""
        source = str(path)
        self._materialise_src(source, self._reader_select(path))

    def _reader_select(self, path: Path) -> str:
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
                    raise empty_file_error(source, fmt)
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

    def stage_sqlite(self, database: Path, source_file: str, since: str | None) -> None:
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

    def stage_postgres(self, source_file: str, since: str | None) -> None:
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


def drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every temp table a load stages (the readers' and the row rules'), so nothing is left behind."""
    con.execute("DROP VIEW IF EXISTS _ingest_src")
    for temp in ("_ingest_json", "_ingest_read", "_ingest_checked", "_ingest_duplicates"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")


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
