"""The months a run's loads brought data for, so a correction its restatement window misses is said.

A run recomputes only the periods ending inside its restatement window; a corrected export of an
older month loads, but the values published for that month stay as they were until a run restates
them (``scorecard run --period M --restate``). ``months_loaded`` says which months each file loaded
by a run touched, from the load ledger and the raw tables:

- a file named after its month (``2024-09.csv``, ``tickets_2024-09_late.csv``) touches that month;
- a file first loaded from its path with content already loaded from another path of the table (the
  landing zone moved, a file renamed) touches none;
- a file without a month in its name (a snapshot such as ``accounts.jsonl``) touches the months, by
  the table's ``event_time``, of the rows that differ from the previous load of the same file, added
  or removed (all its rows for a file loaded the first time). A table without ``event_time`` cannot
  be dated and is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.ingestion.loader import RAW_SCHEMA
from orchestration.ingestion.registry import SourceRegistry, file_period, raw_table_name
from orchestration.sql import identifier, qualified
from orchestration.warehouse import table_exists


@dataclass(frozen=True)
class LoadedMonth:
    """A month a file loaded by a run brought rows for (or took rows away from)."""

    system: str
    table: str
    source_file: str
    month: date


def months_loaded(con: duckdb.DuckDBPyConnection, registry: SourceRegistry, run_id: str) -> list[LoadedMonth]:
    """Every (file, month) the loads of ``run_id`` touched, oldest month first; [] before any load."""
    if not (table_exists(con, RAW_SCHEMA, "_ingested_files") and table_exists(con, RAW_SCHEMA, "_loads")):
        return []
    files = con.execute(
        f"""
        SELECT files.system, files."table", files.source_file, files.load_id, files.loaded_at
        FROM {RAW_SCHEMA}._ingested_files AS files
        JOIN {RAW_SCHEMA}._loads AS loads USING (load_id, system, "table")
        WHERE loads.run_id = ?
            -- A file first seen at this path with content already loaded from another (the landing
            -- zone moved, a file renamed) brings nothing new.
            AND NOT (
                NOT EXISTS (
                    SELECT 1 FROM {RAW_SCHEMA}._ingested_files AS earlier
                    WHERE earlier.system = files.system AND earlier."table" = files."table"
                        AND earlier.source_file = files.source_file AND earlier.loaded_at < files.loaded_at
                )
                AND EXISTS (
                    SELECT 1 FROM {RAW_SCHEMA}._ingested_files AS earlier
                    WHERE earlier.system = files.system AND earlier."table" = files."table"
                        AND earlier.file_sha256 = files.file_sha256 AND earlier.loaded_at < files.loaded_at
                )
            )
        ORDER BY files.system, files."table", files.source_file
        """,
        [run_id],
    ).fetchall()
    found: list[LoadedMonth] = []
    for system, table, source_file, load_id, loaded_at in files:
        period = file_period(source_file)
        if period is not None:
            months: Iterable[date] = [period]
        else:
            months = _changed_months(con, registry, system, table, source_file, load_id, loaded_at)
        found += [LoadedMonth(system, table, source_file, month) for month in months]
    return sorted(found, key=lambda loaded: (loaded.month, loaded.source_file))


def _changed_months(
    con: duckdb.DuckDBPyConnection,
    registry: SourceRegistry,
    system: str,
    table: str,
    source_file: str,
    load_id: str,
    loaded_at: object,
) -> list[date]:
    """Months of the rows this load of ``source_file`` added to, or removed from, its previous load."""
    spec = registry.table(system, table)
    if spec.event_time is None:
        return []
    previous = con.execute(
        f"""
        SELECT load_id FROM {RAW_SCHEMA}._ingested_files
        WHERE system = ? AND "table" = ? AND source_file = ? AND (loaded_at, load_id) < (?, ?)
        ORDER BY loaded_at DESC, load_id DESC
        LIMIT 1
        """,
        [system, table, source_file, loaded_at, load_id],
    ).fetchall()
    columns = ", ".join(identifier(column) for column in spec.columns)
    source = qualified(RAW_SCHEMA, raw_table_name(system, table))
    event = identifier(spec.event_time)
    con.execute("SET TimeZone = 'UTC'")
    rows = con.execute(
        f"""
        WITH this_load AS (
            SELECT {columns} FROM {source} WHERE _source_file = $file AND _load_id = $load
        ),
        previous_load AS (
            SELECT {columns} FROM {source} WHERE _source_file = $file AND _load_id = $previous
        ),
        changed AS (
            (SELECT * FROM this_load EXCEPT SELECT * FROM previous_load)
            UNION ALL
            (SELECT * FROM previous_load EXCEPT SELECT * FROM this_load)
        )
        SELECT DISTINCT CAST(date_trunc('month', {event}) AS DATE) AS month
        FROM changed
        WHERE {event} IS NOT NULL
        ORDER BY month
        """,
        {"file": source_file, "load": load_id, "previous": previous[0][0] if previous else None},
    ).fetchall()
    return [row[0] for row in rows]


def not_restated_message(stale: list[LoadedMonth], window_start: date, landing_dir: Path) -> str:
    """One line naming the files and months loaded but not restated, and the command that restates them."""
    by_file: dict[str, list[str]] = {}
    for loaded in stale:
        path = Path(loaded.source_file)
        shown = str(path.relative_to(landing_dir)) if path.is_relative_to(landing_dir) else str(path)
        by_file.setdefault(shown, []).append(f"{loaded.month:%Y-%m}")
    listed = "; ".join(f"{name} ({', '.join(months)})" for name, months in by_file.items())
    first = min(loaded.month for loaded in stale)
    return (
        f"Loaded but not restated: {listed} — older than this run's restatement window (periods ending "
        f"from {window_start:%Y-%m} on), so the values published for those months are unchanged. "
        f"`scorecard run --period {first:%Y-%m} --restate` recomputes every month from {first:%Y-%m} "
        "and records the changed values in scorecard.restatements."
    )


__all__ = ["LoadedMonth", "months_loaded", "not_restated_message"]
