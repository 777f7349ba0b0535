"""Fixtures for the quality tests: the shipped registry, and a small demo ingested into raw (no dbt)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from orchestration.demo import generate_demo
from orchestration.ingestion.loader import ingest_table, new_load_id
from orchestration.ingestion.registry import SourceRegistry, load_registry
from orchestration.settings import REPO_ROOT
from orchestration.warehouse import connect

# The catalogue and the suites are judged on the same small demo: ~600 accounts' worth of rows over
# 15 months ending in a fixed month, so nothing depends on today's date.
DEMO_SEED = 7
DEMO_SCALE = 0.2
DEMO_MONTHS = 15
DEMO_END_MONTH = date(2025, 5, 1)


@dataclass(frozen=True)
class RawDemo:
    """A demo landing zone and a warehouse holding its raw tables (ingested, no dbt)."""

    landing: Path
    warehouse: Path


@pytest.fixture(scope="session")
def shipped_registry() -> SourceRegistry:
    return load_registry(REPO_ROOT / "scorecard_config" / "sources.yml")


def ingest_all(registry: SourceRegistry, landing: Path, warehouse: Path) -> None:
    """Ingest every registry table from ``landing`` into ``warehouse`` in one load."""
    con = connect(warehouse)
    try:
        load_id = new_load_id()
        for system, table, _ in registry.iter_tables():
            ingest_table(con, registry, system, table, landing, load_id)
    finally:
        con.close()


@pytest.fixture(scope="session")
def raw_demo_template(tmp_path_factory: pytest.TempPathFactory, shipped_registry: SourceRegistry) -> RawDemo:
    root = tmp_path_factory.mktemp("raw_demo")
    landing = root / "landing"
    generate_demo(landing, seed=DEMO_SEED, months=DEMO_MONTHS, scale=DEMO_SCALE, end_month=DEMO_END_MONTH)
    warehouse = root / "warehouse" / "warehouse.duckdb"
    ingest_all(shipped_registry, landing, warehouse)
    return RawDemo(landing, warehouse)


@pytest.fixture
def raw_demo(raw_demo_template: RawDemo, shipped_registry: SourceRegistry, tmp_path: Path) -> RawDemo:
    """A private copy of the ingested demo that a test may change."""
    landing = tmp_path / "landing"
    shutil.copytree(raw_demo_template.landing, landing)
    warehouse = tmp_path / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copy2(raw_demo_template.warehouse, warehouse)
    # Rows and the ledger name files by absolute path: point them at the copy, as if it had landed here.
    moved = [str(raw_demo_template.landing), str(landing)]
    con = connect(warehouse)
    try:
        for table in ("_ingested_files", "_quarantine"):
            con.execute(f"UPDATE raw.{table} SET source_file = replace(source_file, ?, ?)", moved)
        for system, table, _ in shipped_registry.iter_tables():
            con.execute(f"UPDATE raw.{system}__{table} SET _source_file = replace(_source_file, ?, ?)", moved)
    finally:
        con.close()
    return RawDemo(landing, warehouse)
