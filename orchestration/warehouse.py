"""The one place that opens the DuckDB warehouse, and the Dagster resource that hands it out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

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


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists in the warehouse ``con`` is connected to."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse file, for assets that read or write it.

    With ``lock_dirs`` (the warehouse and dbt project folders, as the Definitions set it), the run
    holds their run locks (``orchestration.run_lock``) from its first step that opens the warehouse to
    its end, so a run launched from the Dagster UI, a schedule or a sensor refuses to start while
    another run writes the same files, naming that run; ``scorecard run`` holds them already.
    """

    path: str
    lock_dirs: list[str] = Field(default_factory=list)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        from orchestration.run_lock import RunLockedError, run_lock

        if not self.lock_dirs:
            yield self
            return
        warehouse_dir, dbt_project_dir = (Path(directory) for directory in self.lock_dirs)
        with ExitStack() as held:
            try:
                held.enter_context(run_lock(warehouse_dir, dbt_project_dir))
            except RunLockedError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from None
            yield self

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection that is closed when the block ends, even on error."""
        con = connect(Path(self.path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
