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
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.config.periods import add_months, parse_month
from orchestration.defs.config import SCORECARD_CONFIG_KEY
from orchestration.defs.dbt_cli import keep_partial_parse, process_environment, read_log_ahead
from orchestration.defs.ingestion import WAREHOUSE_POOL
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.defs.schedules import recomputed_materializations, recomputed_partition_keys
from orchestration.freshness import code_digest, inputs_digest
from orchestration.history import history_end_month, history_start_month
from orchestration.ingestion.late_data import months_loaded, not_restated_message
from orchestration.ingestion.registry import load_registry
from orchestration.publish.wap import (
    PUBLISHED_SCHEMA,
    RunWindow,
    first_row,
    register_run,
    sync_publication_log,
    tested_through,
)
from orchestration.settings import LOCAL_TARGET, Settings
from orchestration.transform.exchange import HISTORY_SELECTOR, Exchange, history_exclusions
from orchestration.transform.window import dbt_build_env, dbt_window, default_restatement_window
from orchestration.warehouse import table_exists


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


def _built_state(warehouse: WarehouseResource) -> tuple[bool, date | None]:
    """Whether scorecard.measure_values exists yet, and the last month in it (None when it has none)."""
    with warehouse.connect() as con:
        if not table_exists(con, PUBLISHED_SCHEMA, "measure_values"):
            return False, None
        row = first_row(
            con, "SELECT max(period_start) FROM scorecard.measure_values WHERE period_grain = 'month'"
        )
    return True, row[0] if row and row[0] else None


def _not_restated(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, window: RunWindow) -> str:
    """The notice for months this run loaded data for but does not recompute ('' when there are none)."""
    if window.first_month is None or window.last_month is None or window.restatement_window_months is None:
        return ""
    window_start = add_months(window.last_month, -window.restatement_window_months)
    loaded = months_loaded(con, load_registry(settings.sources_path), run_id)
    stale = [item for item in loaded if window.first_month <= item.month < window_start]
    return not_restated_message(stale, window_start, settings.landing_dir) if stale else ""


def _run_window(
    context: dg.AssetExecutionContext,
    partitions_def: dg.PartitionsDefinition | None,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
    restatement_window: int,
) -> RunWindow:
    """The months this run's dbt build covers: its partitions (the last closed month when it has
    none), their restatement window, or everything for a full refresh or a first build."""
    if partitions_def is not None and (context.has_partition_key or context.has_partition_key_range):
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
    context.log.info(
        f"dbt window: months {window.first_month:%Y-%m}…{window.last_month:%Y-%m}, periods "
        f"ending from {add_months(window.last_month, -window.restatement_window_months):%Y-%m} "
        "on recomputed" + (" (full refresh)" if config.full_refresh else "")
    )
    return window


def _register_run(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, settings: Settings, window: RunWindow
) -> tuple[int, datetime | None]:
    """Record the run in the warehouse before dbt starts: its sequence number, and since when the
    tests marked ``new_rows`` must look (None: everything, as the last published build differs)."""
    with warehouse.connect() as con:
        # The publication log must be complete before dbt compares published values (restatements).
        recovered = sync_publication_log(con, settings.published_path)
        # What this run read, now that ingestion is done: a later run that reads the same has
        # nothing new to publish (orchestration.freshness).
        code = code_digest(settings)
        digest = inputs_digest(settings, con, history_start_month(), history_end_month(), code)
        # Before this run is registered: the last published build's start and definitions.
        tested = None if window.full_refresh else tested_through(con, code)
        run_seq = register_run(con, context.run_id, window, digest, code)
        not_restated = _not_restated(con, settings, context.run_id, window)
    if not_restated:
        context.log.warning(not_restated)
    if recovered:
        context.log.warning(
            f"Recovered {recovered} publication(s) from the published file into publish.publications "
            "(an earlier run stopped right after publishing)."
        )
    if tested is not None:
        context.log.info(
            f"Tests marked new_rows check rows loaded after {tested:%Y-%m-%d %H:%M:%S} UTC "
            "(the last published build ran the same tests on everything loaded before)."
        )
    return run_seq, tested


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
            company: CompanyResource,
        ):
            # profiles.yml reads the warehouse file from this variable; the resource is its one source.
            os.environ["SCORECARD_WAREHOUSE_PATH"] = warehouse.path
            window = _run_window(context, partitions_def, warehouse, config, restatement_window)
            settings = company.settings
            run_seq, tested = _register_run(context, warehouse, settings, window)
            # Unit tests check SQL logic on static fixtures: CI runs them (tests/dbt), a period run
            # would only repeat them against no data of its own.
            # No --vars: the months and the run reach dbt in its environment (transform/window.py).
            args = ["build", "--exclude-resource-type", "unit_test"]
            if config.full_refresh:
                args.append("--full-refresh")
            # Months dbt recomputed beyond the run's partitions (its restatement window; every month
            # in a first build) are recorded too, for each asset dbt built, before the run's own.
            window_keys = recomputed_partition_keys(window, partitions_def) if partitions_def else []
            requested = set(context.partition_keys) if window_keys else set()
            build_env = dbt_build_env(window, context.run_id, run_seq, tested)

            def invoke(resource: DbtCliResource, dbt_args: list[str], env: Mapping[str, str | None]):
                """One dbt process over the run's selection; its events, window months included."""
                with process_environment({**build_env, **env}):
                    # The dbt resource hands this process's environment to the dbt process it starts.
                    invocation = read_log_ahead(resource.cli(dbt_args, context=context))
                try:
                    for event in invocation.stream():
                        if window_keys and isinstance(event, dg.Output):
                            asset_key = context.asset_key_for_output(event.output_name)
                            yield from recomputed_materializations(asset_key, window_keys, requested)
                        yield event
                finally:
                    keep_partial_parse(invocation, Path(project.project_dir))

            if settings.engine == "spark":
                yield from _build_on_spark(context, invoke, dbt, warehouse, settings, args, project)
            else:
                yield from invoke(dbt, args, {})

    return scorecard_dbt_models


def _build_on_spark(
    context: dg.AssetExecutionContext,
    invoke: Callable[[DbtCliResource, list[str], Mapping[str, str | None]], Iterator[Any]],
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    settings: Settings,
    args: list[str],
    project: DbtProject,
) -> Iterator[Any]:
    """The dbt step when Spark runs the models; the DuckDB file stays the warehouse of record.

    Seeds load into the file, the tables dbt reads cross to Spark as Parquet, dbt builds the models
    and runs their tests there, the results come back into the file, and the history snapshot with
    what is built on it runs on DuckDB (orchestration/transform/exchange.py says why).
    """
    local = dbt.model_copy(update={"target": LOCAL_TARGET})
    exchange = Exchange(settings.spark_dir / "exchange")
    spark_env = {
        "SCORECARD_SPARK_DIR": str(settings.spark_dir),
        # A local SparkSession binds its driver to this address (machines whose host name resolves
        # nowhere); a cluster profile ignores it.
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
    }
    manifest = json.loads(Path(project.manifest_path).read_text())
    yield from invoke(local, ["seed"], {})
    with warehouse.connect() as con:
        exported = exchange.export_inputs(con, manifest)
    context.log.info(f"Spark: {len(exported)} source and config tables exported to {exchange.root}.")
    # dbt adds up repeated --exclude-resource-type options.
    spark_args = [*args, "--exclude-resource-type", "seed", "--exclude", HISTORY_SELECTOR]
    yield from invoke(dbt, spark_args, {**spark_env, **exchange.environment(exported)})
    with warehouse.connect() as con:
        read = exchange.read_back(con)
    context.log.info(f"Spark: {len(read)} tables read back into {warehouse.path}.")
    yield from invoke(local, [*args, "--exclude", " ".join(history_exclusions(manifest))], {})
