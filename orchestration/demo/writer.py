"""Writing simulated tables as landing files with DuckDB, one file per month where the registry says so.

A ``TableSpec`` holds a table's typed input columns (an Arrow table built from numpy arrays), the SQL
expression producing each declared output column, and which file each row goes to. Writing slices
the rows of one file with numpy, hands the slice to DuckDB and ``COPY``s the projection out; DuckDB
keeps insertion order, so the same inputs give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

MISSING = -1
FORMATS = {
    "csv": "(FORMAT csv, HEADER true)",
    "jsonl": "(FORMAT json)",
    "parquet": "(FORMAT parquet, COMPRESSION zstd)",
}
ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"


@dataclass
class TableSpec:
    """One source table: input columns, output expressions and the file of every row."""

    system: str
    table: str
    fmt: str
    location: str  # relative path; ``{key}`` is replaced by the file key
    inputs: dict[str, pa.Array]
    select: dict[str, str]  # declared output column -> SQL over the inputs
    file_index: np.ndarray  # per row: index into file_keys
    file_keys: list[str]
    duplicate: np.ndarray | None = None  # rows written twice (defect injection)
    renamed: dict[str, dict[str, str]] = field(default_factory=dict)  # file key -> {column: new name}

    @property
    def name(self) -> str:
        return f"{self.system}.{self.table}"

    @property
    def rows(self) -> int:
        return len(self.file_index)


def timestamps(seconds: np.ndarray) -> pa.Array:
    """Epoch seconds (``MISSING`` = null) as an Arrow timestamp column."""
    seconds = np.asarray(seconds, dtype=np.int64)
    return pa.array(seconds.astype("datetime64[s]"), mask=seconds == MISSING)


def dates(days: np.ndarray) -> pa.Array:
    """Epoch days (``MISSING`` = null) as an Arrow date column."""
    days = np.asarray(days, dtype=np.int64)
    return pa.array(days.astype("datetime64[D]"), mask=days == MISSING)


def integers(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64))


def sql_text(value: str) -> str:
    """A SQL string literal of one of the generator's own constants.

    ``orchestration.sql.literal`` does the same for the rest of the package; the generator keeps its
    own copy because it imports nothing else of ours (numpy and DuckDB only: tests/demo/test_imports.py).
    """
    return "'" + value.replace("'", "''") + "'"


def sql_id(prefix: str, column: str, width: int) -> str:
    """``PREFIX-000123`` from an integer column (never truncated, unlike lpad)."""
    return f"printf({sql_text(prefix + '%0' + str(width) + 'd')}, {column})"


def sql_lookup(column: str, values: tuple[str, ...]) -> str:
    """The label of a 0-based code column, cycling through ``values`` when the code is larger."""
    literal = "[" + ", ".join(sql_text(v) for v in values) + "]"
    return f"({literal})[{column} % {len(values)} + 1]"


def sql_money(cents_column: str) -> str:
    """Integer cents as DECIMAL(18,2)."""
    return f"({cents_column} / 100)::DECIMAL(18,2)"


def sql_iso(ts_column: str) -> str:
    """ISO 8601 text of a UTC timestamp column, without offset (declared ``timestamp``)."""
    return f"strftime({ts_column}, {sql_text(ISO_SECONDS)})"


def sql_iso_local(ts_column: str, offset_minutes_column: str) -> str:
    """ISO 8601 text of a UTC instant in the user's local time with its offset (``-05:00``)."""
    off = offset_minutes_column
    local = f"strftime({ts_column} + to_minutes({off}), {sql_text(ISO_SECONDS)})"
    sign = f"CASE WHEN {off} < 0 THEN '-' ELSE '+' END"
    return f"{local} || printf('%s%02d:%02d', {sign}, abs({off}) // 60, abs({off}) % 60)"


def write_table(con: duckdb.DuckDBPyConnection, landing_dir: Path, spec: TableSpec) -> tuple[int, int]:
    """Write every non-empty file of ``spec`` under ``landing_dir``; returns (files, rows) written."""
    table = pa.table(spec.inputs)
    files = rows = 0
    for index, key in enumerate(spec.file_keys):
        selected = np.flatnonzero(spec.file_index == index)
        if spec.duplicate is not None:
            selected = np.concatenate([selected, selected[spec.duplicate[selected]]])
        if len(selected) == 0:
            continue
        path = landing_dir / spec.location.format(key=key)
        path.parent.mkdir(parents=True, exist_ok=True)
        renamed = spec.renamed.get(key, {})
        projection = ", ".join(
            f'{expression} AS "{renamed.get(column, column)}"' for column, expression in spec.select.items()
        )
        con.register("demo_rows", table.take(pa.array(selected)))
        try:
            con.execute(
                f"COPY (SELECT {projection} FROM demo_rows) TO {sql_text(str(path))} {FORMATS[spec.fmt]}"
            )
        finally:
            con.unregister("demo_rows")
        files += 1
        rows += len(selected)
    return files, rows
