"""Every registry table gets files that match its declared location, columns and types."""

from __future__ import annotations

import re

import duckdb
import pytest

from orchestration.demo import DemoSummary
from tests.demo.landing import DUCKDB_TYPES, file_columns, load_registry, reader, table_files

TEXT_FORMATS = {
    "timestamp": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
    "timestamptz": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "decimal(18,2)": r"^-?\d+\.\d{2}$",
    "bigint": r"^-?\d+$",
    "boolean": r"^(true|false)$",
}


def test_summary_covers_every_registry_table(clean_demo: DemoSummary, registry: dict[str, dict]) -> None:
    assert set(clean_demo.tables) == set(registry)
    for name, spec in registry.items():
        files = table_files(clean_demo.landing_dir, spec)
        assert files, f"{name}: no file matches {spec['location']}"
        assert clean_demo.tables[name].files == len(files), name
        assert clean_demo.tables[name].rows > 0, name


def test_no_file_outside_the_registry(clean_demo: DemoSummary, registry: dict[str, dict]) -> None:
    declared = {path for spec in registry.values() for path in table_files(clean_demo.landing_dir, spec)}
    written = {path for path in clean_demo.landing_dir.rglob("*") if path.is_file()}
    assert written == declared


def test_monthly_files_are_named_by_month(clean_demo: DemoSummary) -> None:
    tickets = sorted(p.name for p in (clean_demo.landing_dir / "support" / "tickets").iterdir())
    assert tickets[0] == "2023-07.csv" and tickets[-1] == "2025-06.csv" and len(tickets) == 24
    surveys = sorted(p.name for p in (clean_demo.landing_dir / "hr" / "engagement_survey").iterdir())
    assert all(re.fullmatch(r"\d{4}-Q[1-4]\.csv", name) for name in surveys)
    assert len(surveys) == 8


@pytest.mark.parametrize("table", sorted(load_registry()))
def test_files_have_exactly_the_declared_columns_and_types(
    table: str, clean_demo: DemoSummary, registry: dict[str, dict]
) -> None:
    spec = registry[table]
    con = duckdb.connect()
    for path in table_files(clean_demo.landing_dir, spec):
        columns = file_columns(con, path, spec)
        assert [name for name, _ in columns] == list(spec["columns"]), path
        if spec["format"] == "parquet":
            assert [kind for _, kind in columns] == [DUCKDB_TYPES[k] for k in spec["columns"].values()], path

    source = reader(table_files(clean_demo.landing_dir, spec), spec, as_text=True)
    for column, kind in spec["columns"].items():
        failures = con.execute(
            f"SELECT count(*) FROM {source} "
            f'WHERE "{column}" IS NOT NULL AND TRY_CAST("{column}" AS {kind}) IS NULL'
        ).fetchone()[0]
        assert failures == 0, f"{table}.{column}: {failures} values do not cast to {kind}"
        if spec["format"] != "parquet" and kind in TEXT_FORMATS:
            odd = con.execute(
                f'SELECT any_value("{column}"), count(*) FROM {source} '
                f'WHERE "{column}" IS NOT NULL AND NOT regexp_matches("{column}", ?)',
                [TEXT_FORMATS[kind]],
            ).fetchone()
            assert odd[1] == 0, f"{table}.{column}: {odd[1]} values like {odd[0]!r} are not {kind} text"

    required = list(dict.fromkeys([*spec["primary_key"], *spec.get("not_null", [])]))
    for column in required:
        nulls = con.execute(f'SELECT count(*) FROM {source} WHERE "{column}" IS NULL').fetchone()[0]
        assert nulls == 0, f"{table}.{column} is required but has {nulls} nulls"
    key = ", ".join(f'"{c}"' for c in spec["primary_key"])
    total, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {source}").fetchone()
    assert total == distinct == clean_demo.tables[table].rows, f"{table}: primary key not unique"
