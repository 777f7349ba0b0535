"""The ingestion asset factory: one Dagster asset per table declared in sources.yml.

Assets are built from the registry rather than written one by one, so adding a source table is an
edit to sources.yml. Each asset loads its table with ``ingest_table`` and reports what it did as
materialisation metadata; a drifted or unreadable export fails the asset with the loader's message.
"""

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.ingestion.landing import held_files, ignored_files
from orchestration.ingestion.loader import IngestionError, TableLoadResult, ingest_table, new_load_id
from orchestration.ingestion.registry import SourceRegistry, SourceTable, raw_table_name

# All ingestion assets write one DuckDB file, which takes a single writer at a time.
WAREHOUSE_POOL = "duckdb_warehouse"


def ingestion_asset_key(system: str, table: str) -> dg.AssetKey:
    """The asset key of a source table's raw copy: ``raw/<system>/<table>``."""
    return dg.AssetKey(["raw", system, table])


def build_ingestion_assets(registry: SourceRegistry) -> list[dg.AssetsDefinition]:
    """One asset per registry table, keyed ``raw/<system>/<table>`` and grouped ``raw_<system>``."""
    return [
        _build_table_asset(system, table, spec, registry) for system, table, spec in registry.iter_tables()
    ]


def _column_schema(spec: SourceTable) -> dg.TableSchema:
    columns = [
        dg.TableColumn(
            name,
            kind,
            constraints=dg.TableColumnConstraints(nullable=name not in spec.required_columns),
        )
        for name, kind in spec.columns.items()
    ]
    columns += [
        dg.TableColumn(
            "_source_file", "varchar", description="The export file (or database table) the row came from."
        ),
        dg.TableColumn(
            "_source_row_number", "bigint", description="1-based position of the row in that source."
        ),
        dg.TableColumn("_load_id", "varchar", description="The load that wrote the row (sorts by time)."),
        dg.TableColumn("_loaded_at", "timestamptz", description="When the row's file was loaded."),
    ]
    return dg.TableSchema(
        columns=columns,
        constraints=dg.TableConstraints(
            other=[
                f"primary key ({', '.join(spec.primary_key)}), latest load wins; "
                f"redelivery: {spec.redelivery_mode} (sources.yml)"
            ]
        ),
    )


def result_metadata(result: TableLoadResult) -> dict[str, object]:
    """Materialisation metadata for a table load: counts, the table name and the per-file list."""
    return {
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_quarantined": result.rows_quarantined,
        "rows_withdrawn": result.rows_withdrawn,
        "files_read": result.files_read,
        "files_skipped_unchanged": result.files_skipped_unchanged,
        "files_failed": result.files_failed,
        "files_withdrawn": result.files_withdrawn,
        "withdrawals": dg.MetadataValue.json(result.notices),
        "quarantined_by_rule": dg.MetadataValue.json(result.quarantined_by_rule),
        "load_id": result.load_id,
        "table": result.raw_table,
        "files": dg.MetadataValue.json(
            [
                {
                    "source_file": detail.source_file,
                    "status": detail.status,
                    "rows_read": detail.rows_read,
                    "rows_loaded": detail.rows_loaded,
                    "rows_quarantined": detail.rows_quarantined,
                    "rows_withdrawn": detail.rows_withdrawn,
                    "file_sha256": detail.file_sha256,
                    "file_bytes": detail.file_bytes,
                    **({"error": detail.error} if detail.error else {}),
                    **({"notice": detail.notice} if detail.notice else {}),
                }
                for detail in result.files
            ]
        ),
    }


def left_alone_metadata(
    registry: SourceRegistry, system: str, table: str, landing_dir: Path, last_month: date
) -> dict[str, object]:
    """The files of ``system.table`` a run leaves in the landing zone: held and ignored, as metadata.

    Paths are shown relative to the landing zone, as sources.yml writes them.
    """
    spec = registry.table(system, table)

    def shown(path: Path) -> str:
        return str(path.relative_to(landing_dir)) if path.is_relative_to(landing_dir) else str(path)

    held = [
        {"source_file": shown(path), "month": f"{month:%Y-%m}"}
        for path, month in held_files(spec, landing_dir, last_month)
    ]
    ignored = [
        {"source_file": shown(entry.path), "reason": entry.reason}
        for entry in ignored_files(registry, landing_dir).get((system, table), [])
    ]
    return {
        "files_held": dg.MetadataValue.json(held),
        "files_ignored": dg.MetadataValue.json(ignored),
        "last_closed_month": f"{last_month:%Y-%m}",
    }


def left_alone_lines(metadata: Mapping[str, object], source_table: str) -> list[str]:
    """One line per file a run left alone, from ``left_alone_metadata``: the file, the month, what to do."""

    def entries(key: str) -> list[dict[str, str]]:
        value = metadata.get(key) or []
        return list(getattr(value, "value", value))

    last_month = metadata.get("last_closed_month", "")
    lines = [
        f"{source_table}: held until {entry['month']} closes: {entry['source_file']} — the scorecard's "
        f"last month is {last_month}; the first run after {entry['month']} ends loads it (delete it if "
        "it was delivered by mistake)"
        for entry in entries("files_held")
    ]
    lines += [
        f"{source_table}: not loaded: {entry['source_file']} — {entry['reason']}"
        for entry in entries("files_ignored")
    ]
    return lines


def _build_table_asset(
    system: str, table: str, spec: SourceTable, registry: SourceRegistry
) -> dg.AssetsDefinition:
    raw_table = f"raw.{raw_table_name(system, table)}"

    @dg.asset(
        key=ingestion_asset_key(system, table),
        group_name=f"raw_{system}",
        description=spec.description or f"{system}.{table}, loaded from {spec.shown_location}",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        metadata={
            "dagster/table_name": raw_table,
            "dagster/column_schema": _column_schema(spec),
            "source_format": spec.format,
            "source_location": spec.shown_location,
            "primary_key": dg.MetadataValue.json(spec.primary_key),
            "event_time": spec.event_time or "",
        },
    )
    def _ingest(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, company: CompanyResource
    ) -> dg.MaterializeResult:
        from orchestration.history import history_end_month

        settings = company.settings
        landing_dir = settings.landing_dir
        load_id = new_load_id(context.run_id.split("-")[0])
        last_month = history_end_month()
        left = left_alone_metadata(registry, system, table, landing_dir, last_month)
        for line in left_alone_lines(left, f"{system}.{table}"):
            context.log.info(line)
        with warehouse.connect() as con:
            try:
                result = ingest_table(
                    con,
                    registry,
                    system,
                    table,
                    landing_dir,
                    load_id,
                    context.run_id,
                    last_month,
                    accept_redelivery=settings.accept_redelivery,
                )
            except IngestionError as error:
                # The loader's message already names the file, the column and the fix: show it as is,
                # with whatever the other files of this table did.
                raise dg.Failure(
                    description=str(error),
                    metadata={**(result_metadata(error.result) if error.result else {}), **left},
                    allow_retries=False,
                ) from error
            row_count = con.execute(f"SELECT count(*) FROM {result.raw_table}").fetchall()[0][0]
        for notice in result.notices:
            # In the run's log; `scorecard run` lists them once, under its ingestion summary.
            context.log.info(f"{system}.{table}: {notice}")
        if result.rows_quarantined:
            context.log.warning(
                f"{result.rows_quarantined:,} row(s) of {system}.{table} quarantined "
                f"({result.quarantined_by_rule}); see raw._quarantine where load_id = '{load_id}'"
            )
        return dg.MaterializeResult(
            metadata={**result_metadata(result), **left, "dagster/row_count": row_count}
        )

    return _ingest
