"""Running the real dbt project against a throwaway DuckDB warehouse.

Each test session copies ``dbt_project/`` into a temporary directory (so tests never write seeds,
``target/`` or logs into the checkout other processes use), compiles the shipped scorecard config
into the copy's seeds, and runs the pinned ``dbt`` executable as a subprocess with the warehouse
path in ``SCORECARD_WAREHOUSE_PATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.config.compile import compile_config_dir
from orchestration.settings import get_settings

# The scorecard range the tests use; the demo's last month is END_MONTH.
FIRST_MONTH = "2024-03"
LAST_MONTH = "2025-05"
DBT_VARS = {"scorecard_first_month": FIRST_MONTH, "scorecard_last_month": LAST_MONTH}
_IGNORED = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")


def dbt_executable() -> Path:
    """The dbt CLI installed next to the running interpreter (the project venv)."""
    return Path(sys.executable).parent / "dbt"


@dataclass(frozen=True)
class DbtProject:
    """A private copy of the dbt project bound to one warehouse file."""

    project_dir: Path
    warehouse_path: Path

    @property
    def target_dir(self) -> Path:
        return self.project_dir / "target"

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.target_dir / "manifest.json").read_text())

    def run_results(self) -> dict[str, Any]:
        return json.loads((self.target_dir / "run_results.json").read_text())

    def dbt(self, *args: str, dbt_vars: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``dbt <args>`` on this project; the caller checks the return code."""
        env = {
            **os.environ,
            "SCORECARD_WAREHOUSE_PATH": str(self.warehouse_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            str(dbt_executable()),
            *args,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            "--vars",
            json.dumps(DBT_VARS if dbt_vars is None else dbt_vars),
        ]
        return subprocess.run(command, cwd=self.project_dir, env=env, capture_output=True, text=True)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Read from the warehouse (read-only, so a failed assertion never leaves a lock behind)."""
        with duckdb.connect(str(self.warehouse_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def with_warehouse(self, warehouse_path: Path, project_dir: Path) -> DbtProject:
        """A copy of this project and warehouse that a test may change freely."""
        shutil.copytree(self.project_dir, project_dir, ignore=shutil.ignore_patterns("logs"))
        shutil.copyfile(self.warehouse_path, warehouse_path)
        return DbtProject(project_dir=project_dir, warehouse_path=warehouse_path)


def copy_project(destination: Path) -> DbtProject:
    """Copy dbt_project/ and compile the shipped scorecard config into the copy's seeds."""
    settings = get_settings()
    project_dir = destination / "dbt_project"
    shutil.copytree(settings.dbt_project_dir, project_dir, ignore=_IGNORED)
    compile_config_dir(settings.config_dir, project_dir)
    return DbtProject(project_dir=project_dir, warehouse_path=destination / "warehouse.duckdb")


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    """The part of dbt's output that says what failed."""
    lines = (result.stdout + result.stderr).splitlines()
    interesting = [line for line in lines if "ERROR" in line or "FAIL" in line or "Error" in line]
    return "\n".join(interesting[:40] or lines[-40:])
