"""Running the real dbt project against a throwaway DuckDB warehouse.

Each test session copies the company's ``dbt_project/`` (the demo's, unless SCORECARD_COMPANY_DIR
says otherwise) into a temporary directory, so tests never write ``generated/``, ``target/``,
``dbt_packages/`` or logs into the checkout other processes use. The copy is prepared the way a real
run prepares it (``orchestration.transform.project``): the validated scorecard config is compiled
into its ``generated/`` folder, ``dbt deps`` links the engine package (``scorecard_engine/``, a
local package), and the pinned ``dbt`` executable runs as a subprocess with the environment the
orchestration gives dbt (``dbt_env``: warehouse path, profiles, engine directory).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from orchestration.config import ScorecardConfig, load_config
from orchestration.settings import Settings, get_settings
from orchestration.transform.project import compile_config_seeds, dbt_env, ensure_engine_package

# The scorecard range the tests use; the demo's last month is END_MONTH.
FIRST_MONTH = "2024-03"
LAST_MONTH = "2025-05"
DBT_VARS = {"scorecard_first_month": FIRST_MONTH, "scorecard_last_month": LAST_MONTH}
# Never copied: dbt's output, the linked engine and the compiled config are made afresh in the copy.
_IGNORED = shutil.ignore_patterns(
    "target", "logs", "dbt_packages", "generated", "package-lock.yml", ".user.yml"
)


def dbt_executable() -> Path:
    """The dbt CLI installed next to the running interpreter (the project venv)."""
    return Path(sys.executable).parent / "dbt"


def project_settings(project_dir: Path, warehouse_path: Path, base: Settings | None = None) -> Settings:
    """Settings of the running company, pointed at a private project copy and warehouse file."""
    base = base or get_settings()
    return replace(base, dbt_project_dir=project_dir, warehouse_dir=warehouse_path.parent)


@dataclass(frozen=True)
class DbtProject:
    """A private copy of the company's dbt project (engine linked) bound to one warehouse file."""

    project_dir: Path
    warehouse_path: Path
    settings: Settings

    @property
    def target_dir(self) -> Path:
        return self.project_dir / "target"

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.target_dir / "manifest.json").read_text())

    def run_results(self) -> dict[str, Any]:
        return json.loads((self.target_dir / "run_results.json").read_text())

    def dbt(self, *args: str, dbt_vars: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``dbt <args>`` on this project; the caller checks the return code."""
        command = [
            str(dbt_executable()),
            *args,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.settings.dbt_profiles_dir),
            "--vars",
            json.dumps(DBT_VARS if dbt_vars is None else dbt_vars),
        ]
        return subprocess.run(
            command, cwd=self.project_dir, env=dbt_env(self.settings), capture_output=True, text=True
        )

    def config(self) -> ScorecardConfig:
        """The validated scorecard config this project's ``generated/`` seeds were compiled from."""
        return load_config(self.settings.config_dir)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Read from the warehouse (read-only, so a failed assertion never leaves a lock behind)."""
        with duckdb.connect(str(self.warehouse_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def with_warehouse(self, warehouse_path: Path, project_dir: Path) -> DbtProject:
        """A copy of this project and warehouse that a test may change freely."""
        # symlinks=True keeps dbt_packages/scorecard_engine a link to the engine, not a copy of it.
        shutil.copytree(self.project_dir, project_dir, symlinks=True, ignore=shutil.ignore_patterns("logs"))
        shutil.copyfile(self.warehouse_path, warehouse_path)
        settings = project_settings(project_dir, warehouse_path, self.settings)
        ensure_engine_package(settings)
        return DbtProject(project_dir=project_dir, warehouse_path=warehouse_path, settings=settings)


def copy_project(destination: Path) -> DbtProject:
    """Copy the company's dbt project, compile its validated config and link the engine package."""
    base = get_settings()
    project_dir = destination / "dbt_project"
    shutil.copytree(base.dbt_project_dir, project_dir, ignore=_IGNORED)
    warehouse_path = destination / "warehouse.duckdb"
    settings = project_settings(project_dir, warehouse_path, base)
    assert settings.warehouse_path == warehouse_path
    compile_config_seeds(settings)
    ensure_engine_package(settings)
    return DbtProject(project_dir=project_dir, warehouse_path=warehouse_path, settings=settings)


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    """The part of dbt's output that says what failed."""
    lines = (result.stdout + result.stderr).splitlines()
    interesting = [line for line in lines if "ERROR" in line or "FAIL" in line or "Error" in line]
    return "\n".join(interesting[:40] or lines[-40:])
