"""The ``published/scorecard`` asset: write-audit-publish after every mart and its checks have passed."""

import json
import warnings
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject

from orchestration.defs.ingestion import WAREHOUSE_POOL
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.defs.schedules import recomputed_materializations, recomputed_partition_keys
from orchestration.publish.contract import contract_tables
from orchestration.publish.wap import PUBLISHED_SCHEMA, PublishError, publish_scorecard, storage_version

PUBLISHED_KEY = dg.AssetKey(["published", "scorecard"])


def build_publish_asset(
    dbt_assets: dg.AssetsDefinition,
    project: DbtProject,
    partitions_def: dg.PartitionsDefinition | None = None,
) -> dg.AssetsDefinition:
    """The asset that publishes ``bsc_published.duckdb``, downstream of every dbt asset in ``scorecard``.

    Being downstream of the marts means it also waits for their blocking asset checks (dbt tests and
    Great Expectations suites): a failed check stops the run before anything reaches readers.
    """
    manifest = json.loads(Path(project.manifest_path).read_text())
    tables = contract_tables(manifest)
    marts = sorted(
        (key for key in dbt_assets.keys if key.path[0] == PUBLISHED_SCHEMA), key=lambda key: key.path
    )

    # backfill_policy is marked beta in Dagster 1.13; a one-run backfill is what a range needs here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dg.asset(
            key=PUBLISHED_KEY,
            deps=marts,
            partitions_def=partitions_def,
            backfill_policy=dg.BackfillPolicy.single_run() if partitions_def else None,
            group_name="published",
            kinds={"duckdb"},
            pool=WAREHOUSE_POOL,
            description=(
                "bsc_published.duckdb, the file BI tools read: the scorecard schema written to a new "
                "file (DuckDB storage v1.4), audited, then atomically swapped in. Readers never see a "
                "partial state."
            ),
            metadata={"published_tables": dg.MetadataValue.json([table.name for table in tables])},
        )
        def published_scorecard(
            context: dg.AssetExecutionContext, warehouse: WarehouseResource, company: CompanyResource
        ):
            published_path = company.settings.published_path
            try:
                result = publish_scorecard(
                    Path(warehouse.path), published_path, tables, run_id=context.run_id
                )
            except PublishError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from error
            if result.removed_stale_files:
                context.log.warning(
                    "Removed temporary files left by an interrupted publish: "
                    + ", ".join(path.name for path in result.removed_stale_files)
                )
            # The file now holds the months dbt recomputed in this run; record those beyond the run's
            # own partitions as the dbt assets do (before the run's own, whose metadata says more).
            if partitions_def is not None:
                window_keys = recomputed_partition_keys(result.window, partitions_def)
                requested = set(context.partition_keys) if window_keys else set()
                yield from recomputed_materializations(PUBLISHED_KEY, window_keys, requested)
            yield dg.MaterializeResult(
                metadata={
                    "path": dg.MetadataValue.path(str(result.path)),
                    "published_at": result.published_at.isoformat(timespec="seconds") + "Z",
                    "storage_version": storage_version(result.path),
                    "file_bytes": result.file_bytes,
                    "table_rows": dg.MetadataValue.json(result.table_rows),
                    "dagster/row_count": sum(result.table_rows.values()),
                }
            )

    return published_scorecard
