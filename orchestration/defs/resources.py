"""The Dagster resource through which assets and checks learn where the company's files are.

``Settings`` are read from the environment once, when the Definitions are built
(``orchestration.defs.definitions``); assets receive them as the ``company`` resource instead of reading
the environment in their bodies, so what a run reads and writes is visible in its resources (the
Dagster UI shows them) and a test hands an asset its own folders without setting variables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import fields
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from orchestration.settings import ENGINE_DBT_DIR, Settings
from orchestration.warehouse import connect


class CompanyResource(dg.ConfigurableResource):
    """The company's folders and the dbt target for one code location (see ``orchestration.settings``)."""

    company_dir: str
    warehouse_dir: str
    landing_dir: str
    config_dir: str
    expectations_dir: str
    dbt_project_dir: str
    dbt_target: str
    engine: str = "duckdb"
    engine_dbt_dir: str = str(ENGINE_DBT_DIR)
    accept_redelivery: list[str] = Field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> CompanyResource:
        """The resource holding ``settings`` (paths as text, as Dagster config is)."""
        return cls(**{field.name: _as_config(getattr(settings, field.name)) for field in fields(Settings)})

    @property
    def settings(self) -> Settings:
        """The same locations as ``Settings``, with its derived paths (warehouse file, published file…)."""
        return Settings(**_from_config({field.name: getattr(self, field.name) for field in fields(Settings)}))


def _as_config(value: object) -> object:
    """A Settings field value as Dagster config holds it: paths as text, tuples as lists."""
    return str(value) if isinstance(value, Path) else list(value) if isinstance(value, tuple) else value


def _from_config(values: dict[str, object]) -> dict[str, object]:
    """Settings' field values from the resource's: folders back to paths, lists back to tuples."""
    return {
        name: Path(str(value))
        if name.endswith("_dir")
        else tuple(value)
        if isinstance(value, list)
        else value
        for name, value in values.items()
    }


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse file, for assets that read or write it.

    With ``lock_dirs`` (the warehouse and dbt project folders, as the Definitions set it), the run
    holds their run locks (``orchestration.run_lock``) from its first step that opens the warehouse to
    its end, so a run launched from the Dagster UI, a schedule or a sensor refuses to start while
    another run writes the same files, naming that run; ``scorecard run`` holds them already.
    """

    path: str
    lock_dirs: list[str] = Field(default_factory=list)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:  # noqa: ARG002 - Dagster's signature
        from orchestration.run_lock import RunLockedError, run_lock

        if not self.lock_dirs:
            yield self
            return
        warehouse_dir, dbt_project_dir = (Path(directory) for directory in self.lock_dirs)
        with ExitStack() as held:
            try:
                held.enter_context(run_lock(warehouse_dir, dbt_project_dir))
            except RunLockedError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from None
            yield self

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection that is closed when the block ends, even on error."""
        con = connect(Path(self.path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
