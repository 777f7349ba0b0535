"""The company's ``DbtProject`` and how it is prepared before Dagster loads it.

The dbt project that runs is the company's own (``<company>/dbt_project``); it installs the engine's
dbt package (``scorecard_engine/``) as a local package. Preparing means, in this order: the validated
scorecard config is compiled into the project's ``generated/`` folder (seeds and the measure
registry: dbt never sees config that skipped validation, and both must exist before dbt can parse
the models that use them), ``dbt deps`` links the engine package when it is not linked yet, then
``dbt parse`` writes ``target/manifest.json`` when it is missing or older than the files it is built
from, and finally config and manifest are checked against each other (the same check as
``scorecard validate`` with a manifest: one governed model per measure, and each measure's
``data_sources`` exactly the sources its model reads in the dbt lineage), so a run whose trust
marking would not follow the SQL stops before building anything.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.config import ConfigError, Issue, Severity, compile_config, load_config
from orchestration.config.validation import run_validation
from orchestration.settings import DBT_PARSE_INPUTS, Settings, get_settings

_ENGINE_PACKAGE = "scorecard_engine"


class DbtProjectError(RuntimeError):
    """The company's dbt project cannot be prepared (no dbt_project.yml, a parse or deps error).

    The message names the project and carries dbt's own words, which name the model or YAML file;
    the CLI shows it without a traceback.
    """


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt process: the warehouse file, profiles and engine live where settings say."""
    env = dict(os.environ)
    env["SCORECARD_WAREHOUSE_PATH"] = str(settings.warehouse_path)
    env["DBT_PROFILES_DIR"] = str(settings.dbt_profiles_dir)
    env["SCORECARD_ENGINE_DIR"] = str(settings.engine_dbt_dir)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_executable() -> str:
    """The dbt beside the running interpreter, so a venv need not be activated."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def compile_config_seeds(settings: Settings) -> list[Path]:
    """Validate scorecard_config and write it into ``generated/``; raises ConfigError listing every problem.

    Also checks that every configured measure has its model file, so a measure added to measures.yml
    before its SQL gets this message instead of dbt's "depends on a node named msr_… not found".
    """
    config = load_config(settings.config_dir)
    models_dir = settings.dbt_project_dir / "models"
    present = {path.stem for path in models_dir.rglob("msr_*.sql")} if models_dir.is_dir() else set()
    missing = [measure.id for measure in config.measures if f"msr_{measure.id}" not in present]
    if missing:
        raise ConfigError(
            [
                Issue(
                    Severity.error,
                    "measures.yml",
                    f"measures[{measure_id}]",
                    f"measure `{measure_id}` has no governed model: "
                    f"no msr_{measure_id}.sql under {models_dir}.",
                    f"add dbt_project/models/measures/<perspective>/msr_{measure_id}.sql (with "
                    f"config(meta={{'measure_id': '{measure_id}'}})) and its YAML, or remove the measure",
                    code="dbt_measure_missing",
                )
                for measure_id in missing
            ]
        )
    return compile_config(config, settings.generated_dir)


def _newest_input_mtime(*project_dirs: Path) -> float:
    newest = 0.0
    for project_dir in project_dirs:
        for name in DBT_PARSE_INPUTS:
            path = project_dir / name
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
            elif path.is_dir():
                for child in path.rglob("*"):
                    if child.is_file():
                        newest = max(newest, child.stat().st_mtime)
    return newest


def _run_dbt(settings: Settings, args: list[str], what: str) -> None:
    completed = subprocess.run(
        [dbt_executable(), *args],
        cwd=settings.dbt_project_dir,
        env=dbt_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise DbtProjectError(
            f"dbt could not {what} {settings.dbt_project_dir} — fix the model or YAML it names:\n"
            + (completed.stdout + completed.stderr).strip()
        )


def ensure_engine_package(settings: Settings) -> None:
    """``dbt deps`` when the company project has not linked this engine yet (local package: offline)."""
    if not (settings.dbt_project_dir / "dbt_project.yml").exists():
        raise DbtProjectError(
            f"{settings.dbt_project_dir} has no dbt_project.yml: a company folder needs its dbt project "
            "there (`scorecard init DIR` writes one)."
        )
    linked = settings.dbt_project_dir / "dbt_packages" / _ENGINE_PACKAGE
    if linked.exists() and linked.resolve() == settings.engine_dbt_dir.resolve():
        return
    if linked.is_symlink() or linked.exists():
        # A link to another checkout's engine (a moved folder): relink to the one running now.
        if linked.is_symlink() or linked.is_file():
            linked.unlink()
        else:
            shutil.rmtree(linked)
    _run_dbt(settings, ["deps", "--quiet"], "install the engine package into")


_ADAPTER_TYPE = re.compile(r'"adapter_type":\s*"([a-z_]+)"')


def check_engine_installed(settings: Settings) -> None:
    """Raise DbtProjectError naming what to install when the engine's dbt adapter or Java is missing."""
    if settings.engine != "spark":
        return
    if importlib.util.find_spec("dbt.adapters.spark") is None or importlib.util.find_spec("pyspark") is None:
        raise DbtProjectError(
            "SCORECARD_ENGINE=spark needs dbt-spark and pyspark, which are not installed: run "
            "`pip install -r requirements-spark.lock -e '.[spark]'` (or `pip install -e '.[spark]'`)."
        )
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise DbtProjectError(
            "SCORECARD_ENGINE=spark runs Spark in a Java VM, and no `java` is on PATH (nor JAVA_HOME "
            "set): install Java 17 or 21 (Debian: `apt-get install openjdk-17-jre-headless`)."
        )


def _parsed_for(manifest_path: Path) -> str | None:
    """The adapter type a manifest was parsed for (a manifest parsed for one engine is stale for another).

    dbt writes ``metadata`` first; its head is read instead of the whole manifest (several MiB).
    """
    try:
        with manifest_path.open("rb") as manifest:
            head = manifest.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    match = _ADAPTER_TYPE.search(head)
    return match.group(1) if match else None


def check_config_against_manifest(settings: Settings, manifest_path: Path) -> None:
    """Raise ConfigError when config and the parsed dbt project disagree (``validate_config``'s
    manifest check: measure models one to one, and ``data_sources`` against the dbt lineage)."""
    # With lints: the scorecard_config asset asks for exactly this validation, which the process
    # then has already done (run_validation checks each config version once, and each manifest once).
    report = run_validation(settings.config_dir, dbt_manifest=manifest_path).report
    if report.errors:
        raise ConfigError(report.errors)


def prepare_dbt_project(settings: Settings | None = None, *, force: bool = False) -> DbtProject:
    """Compile config seeds, parse the dbt project if its manifest is stale, check the config against
    the manifest (ConfigError listing every disagreement), and return the project."""
    settings = settings or get_settings()
    check_engine_installed(settings)
    compile_config_seeds(settings)
    ensure_engine_package(settings)
    project = DbtProject(
        project_dir=settings.dbt_project_dir,
        profiles_dir=settings.dbt_profiles_dir,
        target=settings.dbt_target,
    )
    manifest = project.manifest_path
    newest = _newest_input_mtime(settings.dbt_project_dir, settings.engine_dbt_dir)
    if (
        force
        or not manifest.exists()
        or manifest.stat().st_mtime < newest
        or _parsed_for(manifest) != settings.engine
    ):
        # The engine's SQL lives outside the company folder, so its files count for staleness too.
        _run_dbt(settings, ["parse", "--quiet", "--target", settings.dbt_target], "parse")
    check_config_against_manifest(settings, manifest)
    return project


__all__ = [
    "ConfigError",
    "DbtProjectError",
    "check_config_against_manifest",
    "compile_config_seeds",
    "dbt_env",
    "dbt_executable",
    "prepare_dbt_project",
]
