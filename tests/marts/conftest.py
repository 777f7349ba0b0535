"""One demo warehouse built end to end (demo exports → ingestion → dbt build) for the marts tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from orchestration.demo import generate_demo
from orchestration.ingestion.loader import ingest_table, new_load_id
from orchestration.ingestion.registry import load_registry
from orchestration.settings import get_settings
from orchestration.warehouse import connect
from tests.dbt.helpers import DbtProject, copy_project, describe_failure

# Three fiscal years of a small company, ending in October 2026: late enough for the demo config's
# reviews (2025-09, 2026-08, 2026-09) and their actions (the first due 2026-10-15) to matter.
DEMO_SCALE = 0.1
DEMO_MONTHS = 36
FIRST_MONTH = "2023-11"
LAST_MONTH = "2026-10"
DBT_VARS = {"scorecard_first_month": FIRST_MONTH, "scorecard_last_month": LAST_MONTH}

# A quality-gate flag the test writes before dbt runs, as the gates would: support CSAT reads
# support.csat_responses, so it must be untrusted for the flagged month (and its quarter and year).
FLAGGED_TABLE = "support.csat_responses"
FLAGGED_MONTH = date(2026, 9, 1)


@dataclass(frozen=True)
class MartsWarehouse:
    """The built demo project and the facts the tests check against."""

    project: DbtProject
    last_month: date
    flagged_month: date

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        return self.project.query(sql, params)


def load_demo(root: Path, warehouse_path: Path, *, seed: int = 11, scale: float = DEMO_SCALE) -> None:
    """Generate the demo's exports under ``root`` and ingest them into ``warehouse_path``."""
    landing = root / "landing"
    generate_demo(landing, seed=seed, months=DEMO_MONTHS, scale=scale, end_month=date(2026, 10, 1))
    registry = load_registry(get_settings().sources_path)
    con = connect(warehouse_path)
    try:
        load_id = new_load_id()
        for system, table, _ in registry.iter_tables():
            ingest_table(con, registry, system, table, landing, load_id)
        # The quality gates write this table before dbt runs (contract: issue 5, marts).
        con.execute("create schema if not exists quality")
        con.execute(
            """
            create or replace table quality.source_flags (
                source_table varchar, period_start date, check_name varchar, severity varchar,
                message varchar, flagged_at timestamp
            )
            """
        )
        con.execute(
            "insert into quality.source_flags values (?, ?, 'row_count_within_range', 'error', "
            "'A delivery holds at least a quarter of the rows of the deliveries before it.', "
            "timestamp '2026-10-02 06:00:00')",
            [FLAGGED_TABLE, FLAGGED_MONTH],
        )
    finally:
        con.close()


@pytest.fixture(scope="session")
def marts_warehouse(tmp_path_factory: pytest.TempPathFactory) -> MartsWarehouse:
    """A demo warehouse after `dbt build` (models and data tests; unit tests run in tests/dbt)."""
    root = tmp_path_factory.mktemp("marts")
    project = copy_project(root)
    load_demo(root, project.warehouse_path)
    result = project.dbt("build", "--full-refresh", "--exclude", "test_type:unit", dbt_vars=DBT_VARS)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{describe_failure(result)}")
    return MartsWarehouse(project=project, last_month=date(2026, 10, 1), flagged_month=FLAGGED_MONTH)
