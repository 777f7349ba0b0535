"""The one ``DbtProject`` of the repository and how it is prepared before Dagster loads it.

Preparing means two things, in this order: the validated scorecard config is compiled into the dbt
seeds (dbt never sees config that skipped validation, and the seeds must exist before dbt can parse
the models that ref them), then ``dbt parse`` writes ``target/manifest.json`` when it is missing or
older than the files it is built from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.config import ConfigError, compile_config, load_config
from orchestration.settings import Settings, get_settings

# Everything dbt parses; a manifest older than any of these is stale.
_PARSE_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt process: the warehouse file and profiles live where settings say."""
    env = dict(os.environ)
    env["SCORECARD_WAREHOUSE_PATH"] = str(settings.warehouse_path)
    env["DBT_PROFILES_DIR"] = str(settings.dbt_project_dir)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_executable() -> str:
    """The dbt beside the running interpreter, so a venv need not be activated."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def seeds_dir(settings: Settings) -> Path:
    return settings.dbt_project_dir / "seeds" / "config"


def compile_config_seeds(settings: Settings) -> list[Path]:
    """Validate scorecard_config and write it as dbt seeds; raises ConfigError listing every problem."""
    config = load_config(settings.config_dir)
    return compile_config(config, seeds_dir(settings))


def _newest_input_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _PARSE_INPUTS:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for child in path.rglob("*"):
                if child.is_file():
                    newest = max(newest, child.stat().st_mtime)
    return newest


def prepare_dbt_project(settings: Settings | None = None, *, force: bool = False) -> DbtProject:
    """Compile config seeds, parse the dbt project if its manifest is stale, and return the project."""
    settings = settings or get_settings()
    compile_config_seeds(settings)
    project = DbtProject(
        project_dir=settings.dbt_project_dir,
        profiles_dir=settings.dbt_project_dir,
        target=settings.dbt_target,
    )
    manifest = project.manifest_path
    if force or not manifest.exists() or manifest.stat().st_mtime < _newest_input_mtime(project.project_dir):
        completed = subprocess.run(
            [dbt_executable(), "parse", "--quiet", "--target", settings.dbt_target],
            cwd=settings.dbt_project_dir,
            env=dbt_env(settings),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                "dbt could not parse dbt_project/ — fix the model or YAML it names:\n"
                + (completed.stdout + completed.stderr).strip()
            )
    return project


__all__ = ["ConfigError", "compile_config_seeds", "dbt_env", "dbt_executable", "prepare_dbt_project"]
