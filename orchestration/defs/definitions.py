"""Assembles the Dagster ``Definitions`` of the scorecard warehouse, and nothing else."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.config import scorecard_config
from orchestration.defs.dbt import build_dbt_assets
from orchestration.defs.dbt_cli import ScorecardDbtCliResource
from orchestration.defs.ingestion import build_ingestion_assets
from orchestration.defs.publish import build_publish_asset
from orchestration.defs.quality import build_plausibility_check, build_quality_checks
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.defs.schedules import (
    build_landing_sensor,
    monthly_partitions,
    scorecard_job,
    scorecard_schedule,
)
from orchestration.ingestion import load_registry
from orchestration.settings import Settings, get_settings
from orchestration.transform.project import dbt_executable, prepare_dbt_project


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """Everything Dagster runs, for the locations in ``settings`` (the environment by default)."""
    settings = settings or get_settings()
    dbt_project = prepare_dbt_project(settings)
    registry = load_registry(settings.sources_path)
    partitions = monthly_partitions()
    dbt_assets = build_dbt_assets(dbt_project, partitions)
    return dg.Definitions(
        assets=[
            scorecard_config,
            *build_ingestion_assets(registry),
            dbt_assets,
            build_publish_asset(dbt_assets, dbt_project, partitions),
        ],
        asset_checks=[*build_quality_checks(registry), build_plausibility_check(registry)],
        jobs=[scorecard_job],
        schedules=[scorecard_schedule],
        sensors=[build_landing_sensor(registry, settings.landing_dir, partitions)],
        resources={
            "company": CompanyResource.from_settings(settings),
            "warehouse": WarehouseResource(
                path=str(settings.warehouse_path),
                lock_dirs=[str(settings.warehouse_dir), str(settings.dbt_project_dir)],
            ),
            "dbt": ScorecardDbtCliResource(
                project_dir=dbt_project, dbt_executable=dbt_executable(), target=settings.dbt_target
            ),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for ``dagster dev -m orchestration.defs.definitions``: loaded on demand, not at import."""
    return build_definitions()
