"""Helpers the demo tests use to read landing files the way the registry declares them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from orchestration.settings import get_settings

# DuckDB's name for each registry type, as DESCRIBE reports it for Parquet files.
DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "decimal(18,2)": "DECIMAL(18,2)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
}


def load_registry() -> dict[str, dict]:
    """The tables of scorecard_config/sources.yml keyed ``system.table``."""
    document = yaml.safe_load(get_settings().sources_path.read_text())
    return {
        f"{system}.{table}": spec
        for system, system_spec in document["systems"].items()
        for table, spec in system_spec["tables"].items()
    }


def table_files(landing_dir: Path, spec: dict) -> list[Path]:
    """The files of one registry table: its location glob under the landing dir."""
    return sorted(landing_dir.glob(spec["location"]))


def sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def reader(paths: list[Path], spec: dict, *, as_text: bool, union_by_name: bool = False) -> str:
    """A DuckDB table function reading ``paths``; ``as_text`` reads CSV/JSONL values as text.

    ``union_by_name`` lets CSV files with different headers (a renamed column) be read together.
    """
    files = sql_list(paths)
    if spec["format"] == "csv":
        union = ", union_by_name = true" if union_by_name else ""
        return f"read_csv({files}, header = true, all_varchar = {str(as_text).lower()}{union})"
    if spec["format"] == "jsonl":
        if not as_text:
            return f"read_json({files}, format = 'newline_delimited')"
        columns = ", ".join(f"'{name}': 'VARCHAR'" for name in spec["columns"])
        return f"read_json({files}, format = 'newline_delimited', columns = {{{columns}}})"
    return f"read_parquet({files})"


def file_columns(con: duckdb.DuckDBPyConnection, path: Path, spec: dict) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every column in one file, in file order."""
    rows = con.execute(f"DESCRIBE SELECT * FROM {reader([path], spec, as_text=True)}").fetchall()
    return [(row[0], row[1]) for row in rows]


def relation_sql(landing_dir: Path, spec: dict) -> str:
    """SQL selecting every row of one table with its declared types (CSV/JSONL text cast)."""
    paths = table_files(landing_dir, spec)
    casts = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in spec["columns"].items())
    return f"SELECT {casts} FROM {reader(paths, spec, as_text=True)}"


def load_tables(con: duckdb.DuckDBPyConnection, landing_dir: Path, registry: dict[str, dict]) -> None:
    """Create one typed view per registry table, named ``<system>_<table>``."""
    for name, spec in registry.items():
        con.execute(f"CREATE OR REPLACE TABLE {name.replace('.', '_')} AS {relation_sql(landing_dir, spec)}")
