"""The asset factory: one asset per registry table, materialised by Dagster against a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.defs.ingestion import build_ingestion_assets, ingestion_asset_key
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.ingestion import load_registry
from orchestration.ingestion.registry import SourceRegistry
from orchestration.settings import get_settings
from orchestration.warehouse import connect
from tests.ingestion.builders import ORDERS_HEADER, write_parquet, write_text


def materialization_metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, object]]:
    return {
        event.asset_key.to_user_string(): {
            key: getattr(value, "value", value) for key, value in event.materialization.metadata.items()
        }
        for event in result.get_asset_materialization_events()
    }


def test_one_asset_per_shipped_table_with_keys_groups_and_kinds() -> None:
    registry = load_registry(get_settings().sources_path)
    assets = build_ingestion_assets(registry)

    specs = {spec.key: spec for asset in assets for spec in asset.specs}
    assert len(assets) == len(specs) == 16
    invoices = specs[dg.AssetKey(["raw", "billing", "invoices"])]
    assert invoices.group_name == "raw_billing"
    assert invoices.kinds == {"duckdb"}
    assert invoices.description == registry.table("billing", "invoices").description
    assert invoices.metadata["dagster/table_name"] == "raw.billing__invoices"
    assert [column.name for column in invoices.metadata["dagster/column_schema"].columns][:2] == [
        "invoice_id",
        "account_id",
    ]
    assert {spec.group_name for spec in specs.values()} == {f"raw_{system}" for system in registry.systems}
    # The factory's assets are valid Dagster definitions together with their resource.
    defs = dg.Definitions(
        assets=assets,
        resources={
            "warehouse": WarehouseResource(path="unused.duckdb"),
            "company": CompanyResource.from_settings(get_settings()),
        },
    )
    assert defs.resolve_asset_graph().get_all_asset_keys() == set(specs)


def test_assets_materialise_and_report_load_metadata(
    registry: SourceRegistry, landing: Path, warehouse_path: Path
) -> None:
    write_text(
        landing / "shop" / "orders" / "a.csv",
        f"""
        {ORDERS_HEADER}
        O-1,C-1,1.00,1,true,2024-01-01,2024-01-01 00:00:00,0
        O-2,,2.00,1,true,2024-01-01,2024-01-01 00:00:00,0
        """,
    )
    write_text(landing / "shop" / "orders" / "b.csv", f"{ORDERS_HEADER}\nO-3,C-1,3,1,false,,,\n")
    write_parquet(
        landing / "shop" / "lines" / "p.parquet",
        "SELECT 'L-1' AS line_id, 'O-1' AS order_id, 2 AS quantity, 1.5 AS amount, "
        "NULL::TIMESTAMP AS shipped_at",
    )
    assets = [
        asset
        for asset in build_ingestion_assets(registry)
        if asset.key in {ingestion_asset_key("shop", "orders"), ingestion_asset_key("shop", "lines")}
    ]
    resources = {
        "warehouse": WarehouseResource(path=str(warehouse_path)),
        "company": CompanyResource.from_settings(get_settings()),
    }

    result = dg.materialize(assets, resources=resources, instance=dg.DagsterInstance.ephemeral())

    assert result.success
    metadata = materialization_metadata(result)
    orders = metadata["raw/shop/orders"]
    assert {key: orders[key] for key in ("rows_read", "rows_loaded", "rows_quarantined")} == {
        "rows_read": 3,
        "rows_loaded": 2,
        "rows_quarantined": 1,
    }
    assert (orders["files_read"], orders["files_skipped_unchanged"], orders["table"]) == (
        2,
        0,
        "raw.shop__orders",
    )
    assert orders["quarantined_by_rule"] == {"null_required": 1}
    assert [Path(item["source_file"]).name for item in orders["files"]] == ["a.csv", "b.csv"]
    assert orders["dagster/row_count"] == 2
    assert metadata["raw/shop/lines"]["rows_loaded"] == 1
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.shop__orders").fetchall() == [(2,)]
        assert (
            con.execute("SELECT DISTINCT _load_id FROM raw.shop__orders")
            .fetchall()[0][0]
            .endswith(result.run_id.split("-")[0])
        )

    again = materialization_metadata(dg.materialize(assets, resources=resources))["raw/shop/orders"]
    assert (again["files_read"], again["files_skipped_unchanged"], again["rows_read"]) == (0, 2, 0)
    assert again["dagster/row_count"] == 2


def test_a_drifted_export_fails_its_asset_with_the_loader_message(
    registry: SourceRegistry, landing: Path, warehouse_path: Path
) -> None:
    drifted = write_text(landing / "shop" / "orders" / "a.csv", "order_id,customer_id\nO-1,C-1\n")
    assets = [
        asset
        for asset in build_ingestion_assets(registry)
        if asset.key == ingestion_asset_key("shop", "orders")
    ]

    result = dg.materialize(
        assets,
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path)),
            "company": CompanyResource.from_settings(get_settings()),
        },
        raise_on_error=False,
    )

    assert not result.success
    failures = [event for event in result.all_events if event.is_step_failure]
    assert len(failures) == 1
    message = failures[0].step_failure_data.user_failure_data.description
    assert message.startswith(f"{drifted}: column(s) 'amount', 'quantity', 'paid'")
    assert "add them to the export, or remove them from sources.yml" in message
    with connect(warehouse_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.shop__orders").fetchall() == [(0,)]
