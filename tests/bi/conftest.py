"""The BI tests' database: a real published scorecard file, or one named by the environment.

By default a session builds one the way a user does, with the real CLI in a temporary directory:
``scorecard demo --scale 0.3`` (36 months ending with the last closed month) then ``scorecard run``,
which on a new warehouse builds every month. (Much smaller demos trip the volume checks of the
quality gates, which then rightly refuse to publish.) The tests then read
``<warehouse>/published/bsc_published.duckdb``; if a run succeeds without publishing (an
orchestration without the publish step), they read the working warehouse's ``scorecard`` schema,
which holds the same tables under the same names.

``SCORECARD_BI_TEST_DB=/path/to/file.duckdb`` skips the build and tests that file instead, either
kind: a published file or a working warehouse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import REPO_ROOT
from tests.dbt.helpers import copy_project, describe_failure

DB_ENV = "SCORECARD_BI_TEST_DB"
DEMO_ARGS = ("demo", "--scale", "0.3")
RUN_ARGS = ("run",)
PUBLISHED_NAME = "bsc_published.duckdb"


def _scorecard(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("scorecard")
    return subprocess.run(
        [str(executable), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )


def build_published_file(root: Path) -> Path:
    """Run ``scorecard demo`` and ``scorecard run`` into ``root``; return the file BI tools read."""
    env = {
        **os.environ,
        "SCORECARD_WAREHOUSE_DIR": str(root / "warehouse"),
        "SCORECARD_LANDING_DIR": str(root / "landing"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    # The scorecard's months follow the demo's (the 36 months before the last closed month).
    env.pop("SCORECARD_FIRST_MONTH", None)
    for step in (DEMO_ARGS, RUN_ARGS):
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
