"""dbt models, seeds and tests as Dagster assets and asset checks.

Keys and groups are derived from where a node lives, never from its name: a model's key is
``[schema, model]`` (``staging/stg_billing__invoices``, ``scorecard/measure_values``) and its group is
its top folder under ``models/``. Sources resolve to the ingestion assets through their
``meta.dagster.asset_key``; seeds are compiled from the scorecard config, so they depend on the
``scorecard_config`` asset.
"""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.transform.config_seeds import SCORECARD_CONFIG_KEY
from orchestration.warehouse import WarehouseResource


class ScorecardDbtTranslator(DagsterDbtTranslator):
    """Asset keys from schemas, groups from folders, seeds downstream of the validated config."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "config"
        # fqn is [project, top folder, ..., name]; the top folder is the layer.
        fqn = dbt_resource_props["fqn"]
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None):
        spec = super().get_asset_spec(manifest, unique_id, project)
        if manifest["nodes"].get(unique_id, {}).get("resource_type") == "seed":
            spec = spec.merge_attributes(deps=[SCORECARD_CONFIG_KEY])
        return spec


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    """The whole dbt project as one multi-asset: one ``dbt build`` per run, tests as asset checks."""
    translator = ScorecardDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=translator)
    def scorecard_dbt_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        # profiles.yml reads the warehouse file from this variable; the resource is its one source.
        os.environ["SCORECARD_WAREHOUSE_PATH"] = warehouse.path
        yield from dbt.cli(["build"], context=context).stream()

    return scorecard_dbt_models
