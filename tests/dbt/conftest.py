"""One small demo warehouse, built by the real ingestion and the real dbt project, per test session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from orchestration.demo import generate_demo
from orchestration.ingestion.loader import ingest_table, new_load_id
from orchestration.ingestion.registry import load_registry
from orchestration.settings import get_settings
from orchestration.warehouse import connect
from tests.dbt.helpers import DbtProject, copy_project, describe_failure

# Small enough for two shared cores: ~300 accounts over 15 months.
DEMO_SCALE = 0.1
DEMO_MONTHS = 15
DEMO_END_MONTH = date(2025, 5, 1)


def load_demo_warehouse(root: Path, warehouse_path: Path) -> None:
    """Generate the demo company's exports and ingest every registered table into raw."""
    landing = root / "landing"
    generate_demo(landing, seed=7, months=DEMO_MONTHS, scale=DEMO_SCALE, end_month=DEMO_END_MONTH)
    registry = load_registry(get_settings().sources_path)
    con = connect(warehouse_path)
    try:
        load_id = new_load_id()
        for system, table, _ in registry.iter_tables():
            ingest_table(con, registry, system, table, landing, load_id)
    finally:
        con.close()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A demo warehouse after one full `dbt build` (every model, data test and unit test)."""
    root = tmp_path_factory.mktemp("dbt_build")
    project = copy_project(root)
    load_demo_warehouse(root, project.warehouse_path)
    result = project.dbt("build", "--full-refresh")
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{describe_failure(result)}")
    return project
