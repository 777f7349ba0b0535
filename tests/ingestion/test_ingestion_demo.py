"""The shipped registry against the demo company's exports: every table loads, every defect is caught."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.demo import generate_demo
from orchestration.ingestion import SourceSchemaError, ingest_table, load_registry, new_load_id
from orchestration.settings import get_settings

SMALL = {"months": 4, "scale": 0.1, "end_month": date(2024, 6, 1)}


def test_clean_demo_exports_load_completely(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    landing = tmp_path / "landing"
    summary = generate_demo(landing, **SMALL)
    registry = load_registry(get_settings().sources_path)

    for system, table, _ in registry.iter_tables():
        result = ingest_table(con, registry, system, table, landing, new_load_id())
        written = summary.tables[f"{system}.{table}"]
        assert (result.files_read, result.rows_read) == (written.files, written.rows), f"{system}.{table}"
        assert result.rows_quarantined == 0, (f"{system}.{table}", result.quarantined_by_rule)
    assert con.execute("SELECT count(*) FROM raw._quarantine").fetchall() == [(0,)]


def test_demo_defects_are_quarantined_or_stop_the_drifted_file(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    landing = tmp_path / "landing"
    defects = frozenset({"duplicates", "null_keys", "bad_types", "renamed_column"})
    summary = generate_demo(landing, **SMALL, defects=defects)
    registry = load_registry(get_settings().sources_path)

    for system, table, _ in registry.iter_tables():
        if (system, table) == ("support", "tickets"):
            with pytest.raises(SourceSchemaError) as caught:
                ingest_table(con, registry, system, table, landing, new_load_id())
            assert (
                "2024-06.csv: column 'contacts_to_resolution' is missing and 'contacts_count' is unexpected"
                in (str(caught.value))
            )
            result = caught.value.result
            assert result is not None and result.files_failed == 1
        else:
            result = ingest_table(con, registry, system, table, landing, new_load_id())
            assert result.rows_read == summary.tables[f"{system}.{table}"].rows
        assert result.rows_read == result.rows_loaded + result.rows_quarantined

    rules = {
        (table, rule)
        for table, rule in con.execute('SELECT DISTINCT "table", rule FROM raw._quarantine').fetchall()
    }
    assert {
        ("invoices", "duplicate_primary_key"),
        ("invoices", "invalid_type"),
        ("invoices", "null_required"),
        ("csat_responses", "invalid_type"),
        ("tickets", "null_primary_key"),
    } <= rules
