"""The asset-check factory in real Dagster runs: errors block downstream assets, warnings flag periods."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingestion import build_ingestion_assets
from orchestration.defs.quality import build_quality_checks
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality.reports import list_quality_reports
from orchestration.settings import get_settings
from tests.quality.conftest import RawDemo
from tests.quality.test_validate import rewrite_csv

DOWNSTREAM = dg.AssetKey(["downstream_of_invoices_and_tickets"])


def test_one_blocking_check_per_suite_on_its_asset(shipped_registry: SourceRegistry) -> None:
    checks = build_quality_checks(shipped_registry)

    keys = {key for check in checks for key in check.check_keys}
    assert len(checks) == len(keys) == 17
    assert dg.AssetCheckKey(dg.AssetKey(["raw", "billing", "invoices"]), "billing__invoices_suite") in keys
    assert (
        dg.AssetCheckKey(dg.AssetKey(["scorecard", "measure_values"]), "scorecard__measure_values_suite")
        in keys
    )
    for check in checks:
        for spec in check.check_specs:
            assert spec.blocking, spec.key


def run_invoices_and_tickets(registry: SourceRegistry, demo: RawDemo, monkeypatch: pytest.MonkeyPatch):
    """Ingest billing.invoices and support.tickets with their checks, then an asset downstream of both."""
    monkeypatch.setenv("SCORECARD_LANDING_DIR", str(demo.landing))
    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(demo.warehouse.parent))

    @dg.asset(
        key=DOWNSTREAM,
        deps=[dg.AssetKey(["raw", "billing", "invoices"]), dg.AssetKey(["raw", "support", "tickets"])],
    )
    def downstream() -> None:
        return None

    wanted = {dg.AssetKey(["raw", "billing", "invoices"]), dg.AssetKey(["raw", "support", "tickets"])}
    assets = [a for a in build_ingestion_assets(registry) if set(a.keys) & wanted]
    checks = [c for c in build_quality_checks(registry) if {k.asset_key for k in c.check_keys} & wanted]
    job = dg.define_asset_job("gate", executor_def=dg.in_process_executor)
    defs = dg.Definitions(
        assets=[*assets, downstream],
        asset_checks=checks,
        jobs=[job],
        resources={
            "warehouse": WarehouseResource(path=str(demo.warehouse)),
            "company": CompanyResource.from_settings(get_settings()),
        },
    )
    return defs.resolve_job_def("gate").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def flags(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT source_table, CAST(period_start AS VARCHAR), check_name, severity "
            "FROM quality.source_flags ORDER BY ALL"
        ).fetchall()


def flag_messages(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT source_table, severity, message FROM quality.source_flags ORDER BY ALL"
        ).fetchall()


def evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_clean_sources_pass_and_link_the_report(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_invoices_and_tickets(shipped_registry, raw_demo, monkeypatch)

    assert result.success
    assert DOWNSTREAM in {e.asset_key for e in result.get_asset_materialization_events()}
    checks = evaluations(result)
    assert {name: e.passed for name, e in checks.items()} == {
        "billing__invoices_suite": True,
        "support__tickets_suite": True,
    }
    report = checks["support__tickets_suite"].metadata["report"].value
    assert report.endswith("index.html#support__tickets")
    page = Path(report.split("#")[0]).read_text()
    assert 'id="support__tickets"' in page and 'id="billing__invoices"' in page
    assert flags(raw_demo.warehouse) == []
    [listed] = list_quality_reports(get_settings(), "2025-05")
    assert (listed.run_id, listed.status, listed.suites) == (result.run_id, "passed", 2)


def test_an_error_blocks_downstream_and_a_warning_flags_the_period(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite_csv(
        raw_demo.landing / "billing" / "invoices" / "2025-05.csv",
        "SELECT * REPLACE (CASE WHEN row_number() OVER () <= 4 THEN '-' || total_amount "
        "ELSE total_amount END AS total_amount) FROM source",
    )
    rewrite_csv(
        raw_demo.landing / "support" / "tickets" / "2025-03.csv",
        "SELECT * REPLACE (CASE WHEN row_number() OVER () = 1 THEN 'fax' ELSE channel END AS channel) "
        "FROM source",
    )

    result = run_invoices_and_tickets(shipped_registry, raw_demo, monkeypatch)

    assert not result.success
    assert DOWNSTREAM not in {e.asset_key for e in result.get_asset_materialization_events()}
    checks = evaluations(result)
    invoices, tickets = checks["billing__invoices_suite"], checks["support__tickets_suite"]
    assert (invoices.passed, invoices.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert "At most 0.1% of a delivery's rows are quarantined" in invoices.description
    assert "4 quarantined (out_of_range 4; e.g. 2025-05.csv row 1: total_amount=" in invoices.description
    assert (tickets.passed, tickets.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert "channel='fax'" in tickets.description
    assert flags(raw_demo.warehouse) == [
        ("billing.invoices", "2025-05-01", "billing__invoices_suite", "error"),
        ("billing.invoices", "2025-05-01", "billing__invoices_suite", "warning"),
        ("support.tickets", "2025-03-01", "support__tickets_suite", "warning"),
    ]
    # The flag's message is the failed check in plain words (the expectation's meta.description),
    # what the marts show as "<table> failed the check '<message>' for <month>".
    assert flag_messages(raw_demo.warehouse) == [
        ("billing.invoices", "error", "At most 0.1% of a delivery's rows are quarantined."),
        ("billing.invoices", "warning", "No row of a delivery is quarantined."),
        ("support.tickets", "warning", "channel is one of email, chat, phone."),
    ]
    [listed] = list_quality_reports(get_settings())
    assert listed.status == "failed"
    assert listed.failures[0].startswith("billing.invoices [error]")


def test_fixing_the_source_clears_its_flags(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    tickets = raw_demo.landing / "support" / "tickets" / "2025-03.csv"
    original = tickets.read_bytes()
    rewrite_csv(
        tickets,
        "SELECT * REPLACE (CASE WHEN row_number() OVER () = 1 THEN 'fax' ELSE channel END AS channel) "
        "FROM source",
    )
    assert run_invoices_and_tickets(shipped_registry, raw_demo, monkeypatch).success
    assert [row[0] for row in flags(raw_demo.warehouse)] == ["support.tickets"]

    # The corrected export: the original rows, delivered again (in another order, so it is a new version
    # of the file rather than the bytes loaded before).
    tickets.write_bytes(original)
    rewrite_csv(tickets, "SELECT * FROM source ORDER BY ticket_id DESC")
    assert run_invoices_and_tickets(shipped_registry, raw_demo, monkeypatch).success
    assert flags(raw_demo.warehouse) == []
