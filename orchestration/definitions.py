"""Assembles the Dagster ``Definitions`` of the scorecard warehouse, and nothing else."""

from __future__ import annotations

import dagster as dg

from orchestration.ingestion import build_ingestion_assets, load_registry
from orchestration.publish.assets import build_publish_asset
from orchestration.quality.checks import build_quality_checks
from orchestration.quality.plausibility import build_plausibility_check
from orchestration.resources import CompanyResource
from orchestration.schedules import (
    build_landing_sensor,
    monthly_partitions,
    scorecard_job,
    scorecard_schedule,
)
from orchestration.settings import Settings, get_settings
from orchestration.transform.assets import build_dbt_assets
from orchestration.transform.config_seeds import scorecard_config
from orchestration.transform.invocation import ScorecardDbtCliResource
from orchestration.transform.project import dbt_executable, prepare_dbt_project
from orchestration.warehouse import WarehouseResource


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
    """Entry point for ``dagster dev -m orchestration.definitions``: loaded on demand, not at import."""
    return build_definitions()
