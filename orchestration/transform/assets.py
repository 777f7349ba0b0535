"""dbt models, seeds and tests as Dagster assets and asset checks.

Keys and groups are derived from where a node lives, never from its name: a model's key is
``[schema, model]`` (``staging/stg_billing__invoices``, ``scorecard/measure_values``) and its group is
its top folder under ``models/``. Sources resolve to the ingestion assets through their
``meta.dagster.asset_key``; seeds are compiled from the scorecard config, so they depend on the
``scorecard_config`` asset.
"""

import json
import os
import warnings
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.config.periods import add_months
from orchestration.ingestion.assets import WAREHOUSE_POOL
from orchestration.publish.wap import RunWindow, first_row, register_run, sync_publication_log
from orchestration.schedules import PARTITION_FORMAT, history_end_month, parse_month
from orchestration.settings import get_settings
from orchestration.transform.config_seeds import SCORECARD_CONFIG_KEY
from orchestration.warehouse import WarehouseResource

# dbt vars the orchestration sets on every build (see dbt_project.yml and the snapshot).
VAR_FIRST_MONTH = "scorecard_first_month"
VAR_LAST_MONTH = "scorecard_last_month"
VAR_WINDOW = "restatement_window_months"
VAR_RUN_ID = "scorecard_run_id"
VAR_RUN_SEQ = "scorecard_run_seq"


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


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step."""

    full_refresh: bool = False
    """Rebuild incremental models from scratch (``scorecard run --all``); snapshots keep their history."""


def default_restatement_window(project_dir: Path, engine_dir: Path | None = None) -> int:
    """``restatement_window_months``: months restated behind each period.

    The company's dbt_project.yml may set it (a root project's vars apply to the engine package too);
    otherwise the engine's dbt_project.yml default holds.
    """
    value: Any = None
    source = project_dir / "dbt_project.yml"
    for candidate in (project_dir, engine_dir or get_settings().engine_dbt_dir):
        document = yaml.safe_load((candidate / "dbt_project.yml").read_text()) or {}
        if VAR_WINDOW in (document.get("vars") or {}):
            value, source = document["vars"][VAR_WINDOW], candidate / "dbt_project.yml"
            break
    if value is None:
        value = 3
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"{source}: vars.{VAR_WINDOW} is {value!r}; set it to a whole number of months (0 or more)."
        )
    return value


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def dbt_window(
    *,
    history_start: date,
    range_start: date,
    range_end: date,
    restatement_window: int,
    latest_built_month: date | None,
    full_refresh: bool = False,
    first_build: bool = False,
) -> RunWindow:
    """The months dbt builds for a partition range, as vars: the window always reaches today's scorecard.

    ``range_start`` … ``range_end`` are the partitions asked for. The scorecard's last month is the
    range end or, when later months are already built, the latest built month: recomputing an old
    month must never cut the quarter or fiscal year containing it at that month (they would be
    published as partial periods). Every period ending on or after ``range_start - restatement
    window`` is recomputed, so a single month M restates M and the N months before it, exactly what the
    monthly schedule asks for; months skipped since the latest built one are added to the window. A
    full refresh recomputes everything from ``history_start``, and so does a warehouse's
    ``first_build``: dbt creates the incremental models whole, so every month is computed and the
    window says so (the snapshots are not rebuilt, as no ``--full-refresh`` is passed).
    """
    last = max(range_end, latest_built_month) if latest_built_month else range_end
    # Months between the latest built one and the range (a schedule that missed runs) are built too.
    start = range_start
    if latest_built_month and latest_built_month < range_start:
        start = add_months(latest_built_month, 1)
    if full_refresh or first_build:
        window = _months_between(history_start, last)
    else:
        window = _months_between(start, last) + restatement_window
    return RunWindow(
        first_month=history_start,
        last_month=last,
        restatement_window_months=window,
        full_refresh=full_refresh,
    )


def dbt_vars(window: RunWindow, run_id: str, run_seq: int) -> dict[str, Any]:
    """The ``--vars`` of a build for ``window``, stamped with the run that computes the values."""
    return {
        VAR_FIRST_MONTH: window.first_month.strftime(PARTITION_FORMAT) if window.first_month else None,
        VAR_LAST_MONTH: window.last_month.strftime(PARTITION_FORMAT) if window.last_month else None,
        VAR_WINDOW: window.restatement_window_months,
        VAR_RUN_ID: run_id,
        VAR_RUN_SEQ: run_seq,
    }


def _built_state(warehouse: WarehouseResource) -> tuple[bool, date | None]:
    """Whether scorecard.measure_values exists yet, and the last month in it (None when it has none)."""
    with warehouse.connect() as con:
        exists = first_row(
            con,
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'scorecard' AND table_name = 'measure_values'",
        )[0]
        if not exists:
            return False, None
        row = first_row(
            con, "SELECT max(period_start) FROM scorecard.measure_values WHERE period_grain = 'month'"
        )
    return True, row[0] if row and row[0] else None


def recomputed_partition_keys(window: RunWindow, partitions_def: dg.PartitionsDefinition) -> list[str]:
    """The month partitions a build over ``window`` recomputed, oldest first.

    dbt replaces every period ending on or after ``last_month - restatement_window_months``: the
    month a run asks for and the restatement window before it, or the whole history for a full
    refresh or a first build. Dagster records a run's materialisations only for the partitions it was
    asked for, so the others are recorded with ``recomputed_materializations``.
    """
    if window.last_month is None or window.restatement_window_months is None:
        return []
    month = add_months(window.last_month, -window.restatement_window_months)
    if window.first_month is not None:
        month = max(month, window.first_month)
    existing = set(partitions_def.get_partition_keys())
    keys = []
    while month <= window.last_month:
        if (key := month.strftime(PARTITION_FORMAT)) in existing:
            keys.append(key)
        month = add_months(month, 1)
    return keys


def recomputed_materializations(
    asset_key: dg.AssetKey, window_keys: list[str], requested: set[str]
) -> list[dg.AssetMaterialization]:
    """A materialisation of ``asset_key`` per month of ``window_keys`` the run was not asked for.

    ``window_keys`` are ``recomputed_partition_keys``; Dagster records the ``requested`` ones itself.
    Without these the UI shows months a build wrote (a first build writes them all) as missing. They
    carry only the window that recomputed them; the run's own partitions carry the asset's metadata.
    """
    if not window_keys:
        return []
    window = dg.MetadataValue.text(f"{window_keys[0]}..{window_keys[-1]}")
    return [
        dg.AssetMaterialization(
            asset_key=asset_key, partition=key, metadata={"scorecard/recomputed_in_window": window}
        )
        for key in window_keys
        if key not in requested
    ]


def build_dbt_assets(
    project: DbtProject, partitions_def: dg.PartitionsDefinition | None = None
) -> dg.AssetsDefinition:
    """The whole dbt project as one multi-asset: one ``dbt build`` per run, tests as asset checks.

    Partitioned by month when ``partitions_def`` is given; a backfill of many months is one run (one
    dbt invocation over the whole range), not one run per month.
    """
    translator = ScorecardDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
    restatement_window = default_restatement_window(Path(project.project_dir))

    # backfill_policy is marked beta in Dagster 1.13; a one-run backfill is what a range needs here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dbt_assets(
            manifest=project.manifest_path,
            project=project,
            dagster_dbt_translator=translator,
            partitions_def=partitions_def,
            backfill_policy=dg.BackfillPolicy.single_run() if partitions_def else None,
            # dbt writes the same DuckDB file as ingestion and publishing: one writer at a time.
            pool=WAREHOUSE_POOL,
        )
        def scorecard_dbt_models(
            context: dg.AssetExecutionContext,
            config: DbtBuildConfig,
            dbt: DbtCliResource,
            warehouse: WarehouseResource,
        ):
            # profiles.yml reads the warehouse file from this variable; the resource is its one source.
            os.environ["SCORECARD_WAREHOUSE_PATH"] = warehouse.path
            if context.has_partition_key or context.has_partition_key_range:
                key_range = context.partition_key_range
                range_start = parse_month(key_range.start, "partition")
                range_end = parse_month(key_range.end, "partition")
                history_start = parse_month(partitions_def.get_first_partition_key(), "first partition")
            else:
                range_start = range_end = history_end_month()
                history_start = None
            built, latest_built_month = _built_state(warehouse)
            window = dbt_window(
                history_start=history_start or range_start,
                range_start=range_start,
                range_end=range_end,
                restatement_window=restatement_window,
                latest_built_month=None if config.full_refresh else latest_built_month,
                full_refresh=config.full_refresh,
                first_build=not built,
            )
            with warehouse.connect() as con:
                # The publication log must be complete before dbt compares published values (restatements).
                recovered = sync_publication_log(con, get_settings().published_path)
                run_seq = register_run(con, context.run_id, window)
            if recovered:
                context.log.warning(
                    f"Recovered {recovered} publication(s) from the published file into publish.publications "
                    "(an earlier run stopped right after publishing)."
                )
            context.log.info(
                f"dbt window: months {window.first_month:%Y-%m}…{window.last_month:%Y-%m}, periods "
                f"ending from {add_months(window.last_month, -window.restatement_window_months):%Y-%m} "
                "on recomputed" + (" (full refresh)" if config.full_refresh else "")
            )
            # Unit tests check SQL logic on static fixtures: CI runs them (tests/dbt), a period run
            # would only repeat them against no data of its own.
            args = [
                "build",
                "--exclude-resource-type",
                "unit_test",
                "--vars",
                json.dumps(dbt_vars(window, context.run_id, run_seq)),
            ]
            if config.full_refresh:
                args.append("--full-refresh")
            # Months dbt recomputed beyond the run's partitions (its restatement window; every month
            # in a first build) are recorded too, for each asset dbt built, before the run's own.
            window_keys = recomputed_partition_keys(window, partitions_def) if partitions_def else []
            requested = set(context.partition_keys) if window_keys else set()
            for event in dbt.cli(args, context=context).stream():
                if window_keys and isinstance(event, dg.Output):
                    asset_key = context.asset_key_for_output(event.output_name)
                    yield from recomputed_materializations(asset_key, window_keys, requested)
                yield event

    return scorecard_dbt_models
