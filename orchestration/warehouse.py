"""The one place that opens the DuckDB warehouse, and the Dagster resource that hands it out."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

# Another process (dbt, the Dagster UI, a BI tool) may hold DuckDB's single-writer lock briefly;
# waiting a little beats failing a whole run on a momentary overlap.
_LOCK_RETRY_SECONDS = 30.0
_LOCK_RETRY_INTERVAL = 0.5


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at ``path`` with the project's session settings.

    Creates the parent directory when writing. The session time zone is UTC so ``timestamptz``
    values cast and print the same on every machine; DuckDB's spill directory sits beside the file
    so large loads can exceed memory.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + _LOCK_RETRY_SECONDS
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(_LOCK_RETRY_INTERVAL)
    con.execute("SET TimeZone = 'UTC'")
    # Progress bars would otherwise be written into Dagster's captured logs.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET temp_directory = ?", [str(path.parent / ".duckdb_tmp")])
    return con


def open_read_only(path: Path, error: type[Exception], missing: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckDB file at ``path`` for a reader (report, export); ``error``
    (the caller's own type) says the file is missing, with ``missing`` as what to do, or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise error(f"{path}: no such DuckDB file. {missing}")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise error(f"{path}: cannot open it read-only as a DuckDB file ({exc}).") from exc


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists in the warehouse ``con`` is connected to."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )
