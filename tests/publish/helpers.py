"""Helpers for the publishing tests: crafted warehouses, file digests, reading published tables."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

import duckdb

from orchestration.publish import PublishedTable

# A small stand-in for the dbt marts: one keyed table with rows, one table allowed to be empty.
CRAFTED_TABLES = (
    PublishedTable("measure_values", ("measure_id", "period_start")),
    PublishedTable("restatements", ("restatement_id",), allow_empty=True),
)
# DuckDB's main header: an 8-byte checksum, the magic bytes, then the storage version number.
HEADER_MAGIC = b"DUCK"
STORAGE_NUMBER_V1_4 = 67


def craft_warehouse(path: Path, months: int = 3, value: float = 1.0) -> Path:
    """A warehouse file whose ``scorecard`` schema holds ``months`` rows of one measure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS scorecard")
        con.execute(
            """
            CREATE OR REPLACE TABLE scorecard.measure_values AS
            SELECT 'arr' AS measure_id, cast(month AS date) AS period_start, ? * i AS value
            FROM (SELECT i, date '2025-01-01' + to_months(i - 1) AS month FROM range(1, ? + 1) AS t(i))
            """,
            [value, months],
        )
        con.execute(
            """
            CREATE OR REPLACE TABLE scorecard.restatements (
                restatement_id VARCHAR, measure_id VARCHAR, as_reported_value DOUBLE, restated_value DOUBLE
            )
            """
        )
    finally:
        con.close()
    return path


def published_month_value(published: Path, measure_id: str, month: str) -> float:
    """The company-level value of ``measure_id`` for ``month`` (YYYY-MM) in a published file."""
    with duckdb.connect(str(published), read_only=True) as con:
        (value,) = con.execute(
            "SELECT value FROM scorecard.measure_values WHERE measure_id = ? "
            "AND period_grain = 'month' AND period_start = ? AND segment_dimension = 'all'",
            [measure_id, f"{month}-01"],
        ).fetchone()
    return value


def sha256(path: Path) -> str:
    """The file's content digest."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def storage_number(path: Path) -> int:
    """The storage version number in a DuckDB file's main header (67 = v1.4 compatible)."""
    header = path.read_bytes()[:20]
    assert header[8:12] == HEADER_MAGIC, f"{path} is not a DuckDB file"
    return int.from_bytes(header[12:20], "little")


def read_tables(path: Path, ignore: dict[str, set[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of schema ``scorecard`` as sorted rows, minus the ``ignore``-d columns per table.

    Compare two of them with ``first_difference``.
    """
    ignore = ignore or {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'scorecard' "
                "ORDER BY table_name"
            ).fetchall()
        ]
        tables = {}
        for name in names:
            columns = [
                column
                for (column,) in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'scorecard' AND table_name = ? ORDER BY ordinal_position",
                    [name],
                ).fetchall()
                if column not in ignore.get(name, set())
            ]
            select = ", ".join(f'"{column}"' for column in columns)
            rows = con.execute(f'SELECT {select} FROM scorecard."{name}"').fetchall()
            tables[name] = sorted(rows, key=_sort_key)
        return tables
    finally:
        con.close()


def _sort_key(row: tuple[Any, ...]) -> str:
    # Doubles are rounded for ordering only, so two runs' rows line up despite last-bit differences.
    return repr(tuple(float(f"{value:.6g}") if isinstance(value, float) else value for value in row))


def first_difference(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> str | None:
    """Where two tables' sorted rows differ, or None; doubles match within 1e-9 (absolute or relative).

    DuckDB's parallel aggregates (sums, correlations) add in no fixed order, so the last bits of a
    double may differ between two runs on the same rows; everything else must be equal exactly.
    """
    if len(before) != len(after):
        return f"{len(before)} rows before, {len(after)} after"
    for old, new in zip(before, after, strict=True):
        for left, right in zip(old, new, strict=True):
            both_floats = isinstance(left, float) and isinstance(right, float)
            if both_floats and math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9):
                continue
            if left != right:
                return f"{old} became {new}"
    return None


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every published table (the publication log excluded), on an open connection."""
    names = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'scorecard' AND table_name <> 'publications'"
        ).fetchall()
    ]
    return {name: con.execute(f'SELECT count(*) FROM scorecard."{name}"').fetchall()[0][0] for name in names}


def latest_publication(con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, int]]:
    """The run id and recorded row counts of the newest publication in an open published file."""
    run_id, rows = con.execute(
        "SELECT run_id, table_rows FROM scorecard.publications ORDER BY published_at DESC LIMIT 1"
    ).fetchall()[0]
    return run_id, json.loads(rows)


def hold_back(landing: Path, month: str, holding: Path) -> list[Path]:
    """Move every per-month export of ``month`` out of the landing zone into ``holding``, as if not
    yet delivered; return their landing paths (move them back to deliver the month)."""
    moved = []
    for path in sorted(landing.rglob(f"{month}.*")):
        target = holding / path.relative_to(landing)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        moved.append(path)
    return moved


def untrusting_margin_config(config: Path, target: Path) -> Path:
    """A copy of the config folder ``config`` at ``target`` whose gross margin, when implausible, is
    published untrusted instead of stopping the run (``plausibility: {on_fail: untrust}``)."""
    shutil.copytree(config, target)
    measures = (target / "measures.yml").read_text()
    margin_sources = "    data_sources: [billing.invoices, billing.invoice_lines, finance.cost_of_revenue]\n"
    assert measures.count(margin_sources) == 1
    measures = measures.replace(margin_sources, margin_sources + "    plausibility: {on_fail: untrust}\n")
    (target / "measures.yml").write_text(measures)
    return target
