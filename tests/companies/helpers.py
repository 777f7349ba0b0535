"""Running a company folder through the real CLI in its own process, and reading what it built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.settings import REPO_ROOT

SCORECARD = str(Path(sys.executable).with_name("scorecard"))


@dataclass(frozen=True)
class Company:
    """A company folder and the environment its CLI processes run with."""

    root: Path
    env: dict[str, str]

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``scorecard --company <root> <args>`` in a new process."""
        return run_cli(["--company", str(self.root), *args], self.env, check=check)

    @property
    def published(self) -> Path:
        return self.root / "warehouse" / "published" / "bsc_published.duckdb"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "warehouse.duckdb"

    def query(self, sql: str, path: Path | None = None) -> list[tuple]:
        con = duckdb.connect(str(path or self.published), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def manifest(self) -> dict:
        return json.loads((self.root / "dbt_project" / "target" / "manifest.json").read_text())


def run_cli(args: list[str], env: dict[str, str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The real ``scorecard`` command in its own process; raises with its output when it fails."""
    completed = subprocess.run(
        [SCORECARD, *args], env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if check and completed.returncode != 0:
        raise AssertionError(
            f"scorecard {' '.join(args)} exited {completed.returncode}:\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return completed


def company_env(tmp_path: Path, *, first_month: str | None, last_month: str) -> dict[str, str]:
    """A clean environment: no inherited SCORECARD_* setting, a private Dagster home, pinned months."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCORECARD_")}
    env.pop("DAGSTER_HOME", None)
    env["SCORECARD_LAST_MONTH"] = last_month
    if first_month:
        env["SCORECARD_FIRST_MONTH"] = first_month
    env["DAGSTER_HOME"] = str(tmp_path / "dagster_home")
    env["DAGSTER_DISABLE_TELEMETRY"] = "true"
    return env


def nodes_outside(company: Company) -> list[str]:
    """Manifest nodes, sources and macros that are neither the company's own nor the engine's."""
    manifest = company.manifest()
    allowed = {manifest["metadata"]["project_name"], "scorecard_engine"}
    strays = []
    for section in ("nodes", "sources", "macros", "unit_tests", "exposures"):
        for unique_id, node in manifest.get(section, {}).items():
            package = node.get("package_name", "")
            if section == "macros" and package.startswith("dbt"):
                continue  # dbt's own and the adapter's macros
            if package not in allowed:
                strays.append(unique_id)
    return strays


def raw_tables(company: Company) -> set[str]:
    """The source tables the company's warehouse holds (``raw.<system>__<table>``)."""
    rows = company.query(
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and not starts_with(table_name, '_')",
        company.warehouse,
    )
    return {name for (name,) in rows}


def engine_is_untouched() -> str:
    """``git status`` of the engine's folders: empty when a company run left them as committed."""
    completed = subprocess.run(
        ["git", "status", "--porcelain", "--", "scorecard_engine", "orchestration"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip()
