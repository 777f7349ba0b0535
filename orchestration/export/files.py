"""Parquet and CSV copies of the published tables for one month, for tools that read files.

``export_period`` opens the published DuckDB file read-only (as any BI client does) and writes one
file per published table and format with DuckDB ``COPY``. A table with ``period_grain`` and
``period_start`` columns is filtered to the periods that contain the month: the month itself, the
fiscal quarter and the fiscal year it falls in (told apart by ``period_grain``), so a quarterly or
yearly measure is exported with the month it belongs to. Tables without those columns (the review
actions, the publication log) are exported whole. Nothing is computed: rows and columns are exactly
the published ones, ordered by every column so repeated exports of the same data are identical.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from orchestration.config.periods import parse_month
from orchestration.publish.wap import PUBLISHED_SCHEMA
from orchestration.sql import identifier, literal, qualified
from orchestration.warehouse import open_read_only

SUPPORTED_FORMATS = ("parquet", "csv")
PERIOD_COLUMNS = frozenset({"period_grain", "period_start"})
# Months per period grain, for "the period of each grain that contains the month".
_GRAIN_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_COPY_OPTIONS = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER true"}


class ExportError(Exception):
    """The export cannot be made as asked; the message names the file or value and what to do."""


def parse_period(period: str) -> date:
    """The first day of ``period`` (``YYYY-MM``); ``ExportError`` saying the expected form otherwise."""
    try:
        return parse_month(period, "--period")
    except ValueError as error:
        raise ExportError(str(error)) from None


def export_period(
    db_path: Path,
    period: str,
    out_dir: Path,
    formats: Sequence[str] = SUPPORTED_FORMATS,
) -> list[Path]:
    """Write every published table of ``db_path`` for month ``period`` into ``out_dir``; return the files.

    Files are named ``<table>.<format>`` (e.g. ``balance_report.parquet``), written beside their final
    name first and renamed into place, so a reader never sees half a file. ``ExportError`` when the
    file is missing or unreadable, has no ``scorecard`` schema, a format is unknown, or the month is
    not one the file publishes (the message lists the months it has).
    """
    month = parse_period(period)
    formats = tuple(dict.fromkeys(formats))
    unknown = [fmt for fmt in formats if fmt not in SUPPORTED_FORMATS]
    if unknown or not formats:
        raise ExportError(
            f"Unknown export format(s) {', '.join(unknown) or '(none given)'}: "
            f"choose from {', '.join(SUPPORTED_FORMATS)}."
        )
    db_path = Path(db_path)
    con = open_read_only(
        db_path, ExportError, "Run `scorecard run` first, or point at the published bsc_published.duckdb."
    )
    try:
        tables = _published_tables(con, db_path)
        _check_month_published(con, db_path, month, tables)
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for table, columns in tables.items():
            select = _select(table, columns, month)
            for fmt in formats:
                target = out_dir / f"{table}.{fmt}"
                partial = out_dir / f".{table}.{fmt}.partial"
                con.execute(f"COPY ({select}) TO {literal(str(partial))} ({_COPY_OPTIONS[fmt]})")
                os.replace(partial, target)
                written.append(target)
    finally:
        con.close()
    return written


def _published_tables(con: duckdb.DuckDBPyConnection, db_path: Path) -> dict[str, list[str]]:
    """Table name → column names of the published schema, tables sorted by name, columns in order."""
    rows = con.execute(
        """
        select table_name, column_name
        from information_schema.columns
        where table_schema = ? and table_catalog = current_database()
        order by table_name, ordinal_position
        """,
        [PUBLISHED_SCHEMA],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    if not tables:
        raise ExportError(
            f"{db_path} has no tables in schema {PUBLISHED_SCHEMA}: it is not a published scorecard "
            "file. Export from <warehouse>/published/bsc_published.duckdb."
        )
    return tables


def _check_month_published(
    con: duckdb.DuckDBPyConnection, db_path: Path, month: date, tables: dict[str, list[str]]
) -> None:
    """Refuse a month for which no period table has a monthly row, listing the months that exist."""
    period_tables = [name for name, columns in tables.items() if set(columns) >= PERIOD_COLUMNS]
    if not period_tables:
        return
    union = " union ".join(
        f"select distinct period_start from {qualified(PUBLISHED_SCHEMA, name)} where period_grain = 'month'"
        for name in period_tables
    )
    first, last, present = con.execute(
        f"select min(period_start), max(period_start), bool_or(period_start = ?) from ({union})", [month]
    ).fetchone()
    if not present:
        available = f"{first:%Y-%m}…{last:%Y-%m}" if first else "no months at all"
        raise ExportError(
            f"{db_path.name} publishes no rows for {month:%Y-%m} (it has {available}). Pick a month in "
            "that range, or run `scorecard run --period YYYY-MM` for it first."
        )


def _select(table: str, columns: list[str], month: date) -> str:
    """The published rows of ``table`` for ``month`` (all rows when it has no period columns)."""
    source = qualified(PUBLISHED_SCHEMA, table)
    order = ", ".join(identifier(column) for column in columns)
    if not set(columns) >= PERIOD_COLUMNS:
        return f"select * from {source} order by {order}"
    # The month is a validated date, so its literal is safe to inline (COPY takes no parameters).
    contains = " or ".join(
        f"(period_grain = '{grain}' and period_start <= date '{month}' "
        f"and date '{month}' < period_start + interval {months} month)"
        for grain, months in _GRAIN_MONTHS.items()
    )
    return f"select * from {source} where {contains} order by {order}"
