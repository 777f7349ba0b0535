"""Demo datasets shared by the demo tests: generated once per session, small enough to be quick."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from orchestration.demo import DEFECTS, DemoSummary, generate_demo
from tests.demo.landing import load_registry, load_tables

END_MONTH = date(2025, 6, 1)
MONTHS = 24
SCALE = 0.5


@pytest.fixture(scope="session")
def registry() -> dict[str, dict]:
    """The tables of scorecard_config/sources.yml keyed ``system.table``."""
    return load_registry()


@pytest.fixture(scope="session")
def clean_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """A defect-free demo: 24 months at half scale."""
    return generate_demo(
        tmp_path_factory.mktemp("clean") / "landing", months=MONTHS, scale=SCALE, end_month=END_MONTH
    )


@pytest.fixture(scope="session")
def defective_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """The same demo with every defect injected."""
    return generate_demo(
        tmp_path_factory.mktemp("defective") / "landing",
        months=MONTHS,
        scale=SCALE,
        end_month=END_MONTH,
        defects=frozenset(DEFECTS),
    )


@pytest.fixture(scope="session")
def clean_db(clean_demo: DemoSummary, registry: dict[str, dict]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The clean demo loaded into DuckDB: one typed table per registry table (``billing_invoices``...)."""
    con = duckdb.connect()
    load_tables(con, clean_demo.landing_dir, registry)
    yield con
    con.close()
