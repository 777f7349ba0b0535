"""The BI tests' database: a real published scorecard file, or one named by the environment.

By default a session builds one the way a user does, with the real CLI in a temporary directory:
``scorecard demo`` (a small company, 15 months ending with the last closed month) then
``scorecard run --all``. The tests then read ``<warehouse>/published/bsc_published.duckdb``; if a run
succeeds without publishing (an orchestration without the publish step), they read the working
warehouse's ``scorecard`` schema, which holds the same tables under the same names.

``SCORECARD_BI_TEST_DB=/path/to/file.duckdb`` skips the build and tests that file instead, either
kind: a published file or a working warehouse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.config.periods import add_months
from orchestration.settings import REPO_ROOT
from tests.dbt.helpers import copy_project, describe_failure

DB_ENV = "SCORECARD_BI_TEST_DB"
DEMO_MONTHS = 15
DEMO_SCALE = "0.1"
PUBLISHED_NAME = "bsc_published.duckdb"


def _last_closed_month() -> date:
    today = datetime.now(UTC).date()
    return add_months(date(today.year, today.month, 1), -1)


def _scorecard(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("scorecard")
    return subprocess.run(
        [str(executable), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )


def build_published_file(root: Path) -> Path:
    """Run ``scorecard demo`` and ``scorecard run --all`` into ``root``; return the file BI reads."""
    last = _last_closed_month()
    first = add_months(last, -(DEMO_MONTHS - 1))
    env = {
        **os.environ,
        "SCORECARD_WAREHOUSE_DIR": str(root / "warehouse"),
        "SCORECARD_LANDING_DIR": str(root / "landing"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "SCORECARD_FIRST_MONTH": f"{first:%Y-%m}",
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    steps = [
        (
            "demo",
            "--months",
            str(DEMO_MONTHS),
            "--scale",
            DEMO_SCALE,
            "--seed",
            "7",
            "--end-month",
            f"{last:%Y-%m}",
        ),
        ("run", "--all"),
    ]
    for step in steps:
        result = _scorecard(*step, env=env)
        if result.returncode != 0:
            pytest.fail(
                f"`scorecard {' '.join(step)}` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
    published = root / "warehouse" / "published" / PUBLISHED_NAME
    return published if published.exists() else root / "warehouse" / "warehouse.duckdb"


@pytest.fixture(scope="session")
def bi_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DuckDB file the BI tests read (published file, or a warehouse with schema ``scorecard``)."""
    configured = os.environ.get(DB_ENV)
    if configured:
        path = Path(configured).expanduser().resolve()
        if not path.is_file():
            pytest.fail(f"{DB_ENV}={configured} is not a file; unset it to build a demo warehouse.")
        return path
    return build_published_file(tmp_path_factory.mktemp("bi_warehouse"))


@pytest.fixture(scope="session")
def is_published_file(bi_db: Path) -> bool:
    """Whether ``bi_db`` is a published file (it then also carries the publication log)."""
    return bi_db.name == PUBLISHED_NAME


@pytest.fixture
def bi_con(bi_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, opened the way a BI client opens the file: no settings, no search path."""
    con = duckdb.connect(str(bi_db), read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The manifest of the repository's dbt project, parsed in a private copy."""
    project = copy_project(tmp_path_factory.mktemp("bi_dbt"))
    result = project.dbt("parse")
    if result.returncode != 0:
        pytest.fail(f"dbt parse failed:\n{describe_failure(result)}")
    return json.loads((project.target_dir / "manifest.json").read_text())
