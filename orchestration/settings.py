"""Where things live, read once from the environment.

The engine (this package and the dbt package ``scorecard_engine/``) serves one **company** per
process: a folder holding ``scorecard_config/``, ``dbt_project/`` and ``expectations/`` (the demo
company's folder is the repository root; others live anywhere, e.g. ``examples/scrumptious_sweets``).
Every path is derived here, so tests and users redirect the whole warehouse with environment
variables instead of editing code:

- ``SCORECARD_COMPANY_DIR``: the company folder (default: the repository root, the demo company);
  ``scorecard --company DIR`` sets it.
- ``SCORECARD_WAREHOUSE_DIR``: the DuckDB files, load logs and reports (default ``<company>/warehouse``).
- ``SCORECARD_LANDING_DIR``: where source systems drop their exports (default ``<company>/landing``).
- ``SCORECARD_CONFIG_DIR``: the strategy-as-code YAML (default ``<company>/scorecard_config``).
- ``SCORECARD_EXPECTATIONS_DIR``: the Great Expectations suites (default ``<company>/expectations``).
- ``SCORECARD_ENGINE``: what runs the dbt models, ``duckdb`` (default: in the warehouse file) or
  ``spark`` (dbt-spark; the DuckDB file stays the warehouse of record, see
  ``orchestration/transform/exchange.py``); ``scorecard run --engine`` sets it.
- ``SCORECARD_DBT_TARGET``: the profiles.yml output dbt runs the models with (default: the engine's
  name, ``duckdb`` or ``spark``; a cluster's own output for Spark).
- ``SCORECARD_ACCEPT_REDELIVERY``: re-delivered files to load even though they hold far fewer rows than
  the version they replace (comma-separated paths under the landing directory, globs allowed);
  ``scorecard run --accept-redelivery PATH`` sets it for one run.
- ``DAGSTER_HOME``: Dagster's instance directory (default ``<warehouse>/dagster_home``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The engine's dbt package, installed by every company's dbt project as a local package.
ENGINE_DBT_DIR = REPO_ROOT / "scorecard_engine"
COMPANY_DIR_ENV = "SCORECARD_COMPANY_DIR"
ACCEPT_REDELIVERY_ENV = "SCORECARD_ACCEPT_REDELIVERY"
ENGINE_ENV = "SCORECARD_ENGINE"
ENGINES = ("duckdb", "spark")
# The profiles.yml output of the DuckDB warehouse file, which every engine's run also writes (the
# config seeds, the history snapshot): the engine's profile and every company template name it so.
LOCAL_TARGET = "duckdb"
# What dbt parses in a project folder (the company's and the engine's): a manifest older than any of
# these is stale, and a change to any of them can change what a run publishes.
DBT_PARSE_INPUTS = (
    "dbt_project.yml",
    "packages.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
    "generated",
)


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved locations and targets for one process."""

    warehouse_dir: Path
    landing_dir: Path
    config_dir: Path
    dbt_project_dir: Path
    dbt_target: str
    engine: str = "duckdb"
    company_dir: Path = REPO_ROOT
    expectations_dir: Path = REPO_ROOT / "expectations"
    engine_dbt_dir: Path = ENGINE_DBT_DIR
    # Re-delivered files accepted below their table's redelivery_min_ratio (paths or globs).
    accept_redelivery: tuple[str, ...] = ()

    @property
    def warehouse_path(self) -> Path:
        """The working DuckDB file: raw, staging and intermediate data, written by every run."""
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        """The BI-facing DuckDB file, replaced atomically after a run passes its checks.

        Named unlike its ``scorecard`` schema: a file named like one of its schemas makes
        ``scorecard.table`` ambiguous for clients that open the file directly.
        """
        return self.warehouse_dir / "published" / "bsc_published.duckdb"

    @property
    def sources_path(self) -> Path:
        return self.config_dir / "sources.yml"

    @property
    def generated_dir(self) -> Path:
        """The company's compiled config for dbt (seeds, measure registry): written before every parse."""
        return self.dbt_project_dir / "generated"

    @property
    def dbt_profiles_dir(self) -> Path:
        """The company's own ``profiles.yml`` when its dbt project has one, else the engine's."""
        own = self.dbt_project_dir / "profiles.yml"
        return self.dbt_project_dir if own.exists() else self.engine_dbt_dir

    @property
    def dagster_home(self) -> Path:
        return _path_from_env("DAGSTER_HOME", self.warehouse_dir / "dagster_home")

    @property
    def reports_dir(self) -> Path:
        return self.warehouse_dir / "reports"

    @property
    def spark_dir(self) -> Path:
        """Spark's metastore, table files and the Parquet it exchanges with the warehouse file."""
        return self.warehouse_dir / "spark"


class SettingsError(ValueError):
    """An environment variable holds a value the engine cannot use."""


def get_settings() -> Settings:
    """Read the environment now (not at import), so tests can point a process elsewhere."""
    company = _path_from_env(COMPANY_DIR_ENV, REPO_ROOT)
    engine = os.environ.get(ENGINE_ENV, "").strip().lower() or "duckdb"
    if engine not in ENGINES:
        raise SettingsError(
            f"{ENGINE_ENV} is '{os.environ[ENGINE_ENV]}'; the engines are {', '.join(ENGINES)} "
            f"(`scorecard run --engine spark` needs `pip install -e '.[spark]'`)."
        )
    return Settings(
        warehouse_dir=_path_from_env("SCORECARD_WAREHOUSE_DIR", company / "warehouse"),
        landing_dir=_path_from_env("SCORECARD_LANDING_DIR", company / "landing"),
        config_dir=_path_from_env("SCORECARD_CONFIG_DIR", company / "scorecard_config"),
        dbt_project_dir=company / "dbt_project",
        dbt_target=os.environ.get("SCORECARD_DBT_TARGET", "").strip() or engine,
        engine=engine,
        company_dir=company,
        expectations_dir=_path_from_env("SCORECARD_EXPECTATIONS_DIR", company / "expectations"),
        accept_redelivery=tuple(
            entry.strip() for entry in os.environ.get(ACCEPT_REDELIVERY_ENV, "").split(",") if entry.strip()
        ),
    )


_DAGSTER_YAML_HEADER = "# Written by the scorecard warehouse."
_DAGSTER_YAML = """\
{header} Telemetry is off for this instance; the event log is Dagster's
# SQLite storage with its connections kept open (orchestration/defs/event_log.py), in the default place.
telemetry:
  enabled: false
event_log_storage:
  module: orchestration.defs.event_log
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {events}
"""


def ensure_dagster_home(settings: Settings) -> Path:
    """Create DAGSTER_HOME with its ``dagster.yaml``, export it, and return it.

    A persistent instance (not an ephemeral one) keeps run history, so runs launched from the CLI
    show up in ``scorecard dev``. The ``dagster.yaml`` this function wrote earlier is rewritten when
    it differs (the folder was copied or moved: the event log's path is absolute); one written by
    someone else is left alone.
    """
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = _DAGSTER_YAML.format(header=_DAGSTER_YAML_HEADER, events=home / "history" / "runs")
    current = config.read_text() if config.exists() else None
    if current is None or (current.startswith(_DAGSTER_YAML_HEADER) and current != wanted):
        config.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
