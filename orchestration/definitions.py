"""Assembles the Dagster ``Definitions`` of the scorecard warehouse, and nothing else."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.ingestion import build_ingestion_assets, load_registry
from orchestration.schedules import scorecard_job
from orchestration.settings import Settings, get_settings
from orchestration.transform.assets import build_dbt_assets
from orchestration.transform.config_seeds import scorecard_config
from orchestration.transform.project import dbt_executable, prepare_dbt_project
from orchestration.warehouse import WarehouseResource


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """Everything Dagster runs, for the locations in ``settings`` (the environment by default)."""
    settings = settings or get_settings()
    dbt_project = prepare_dbt_project(settings)
    return dg.Definitions(
        assets=[
            scorecard_config,
            *build_ingestion_assets(load_registry(settings.sources_path)),
            build_dbt_assets(dbt_project),
        ],
        jobs=[scorecard_job],
        resources={
            "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
            "dbt": DbtCliResource(
                project_dir=dbt_project, dbt_executable=dbt_executable(), target=settings.dbt_target
            ),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for ``dagster dev -m orchestration.definitions``: loaded on demand, not at import."""
    return build_definitions()
