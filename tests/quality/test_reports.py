"""The HTML validation report, ``scorecard quality`` and ``scorecard quarantine`` on a real warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orchestration.cli import app
from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality import list_quality_reports, list_quarantine, load_suite_files
from orchestration.quality.frames import reference_period
from orchestration.quality.reports import write_suite_outcome
from orchestration.quality.validate import validate_suite
from orchestration.settings import Settings, get_settings
from orchestration.warehouse import connect
from tests.quality.conftest import RawDemo
from tests.quality.test_validate import reingest, rewrite_csv


@pytest.fixture
def settings(raw_demo: RawDemo, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(raw_demo.warehouse.parent))
    monkeypatch.setenv("SCORECARD_LANDING_DIR", str(raw_demo.landing))
    return get_settings()


def validate_into_report(settings: Settings, registry: SourceRegistry, run_id: str, names: set[str]) -> Path:
    con = connect(settings.warehouse_path)
    try:
        reference = reference_period(con)
        page = None
        for suite in load_suite_files(registry):
            if suite.name in names:
                outcome = validate_suite(
                    con, suite, registry, run_id=run_id, reference=reference, landing_dir=settings.landing_dir
                )
                page = write_suite_outcome(settings, outcome)
    finally:
        con.close()
    assert page is not None
    return page


def break_invoices(raw_demo: RawDemo, registry: SourceRegistry) -> None:
    rewrite_csv(
        raw_demo.landing / "billing" / "invoices" / "2025-05.csv",
        "SELECT * REPLACE (CASE WHEN row_number() OVER () IN (3, 7) THEN '-' || total_amount "
        "ELSE total_amount END AS total_amount) FROM source",
    )
    reingest(raw_demo, registry, "billing", "invoices")


def test_the_report_lists_each_suite_expectation_result_and_failing_example(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, settings: Settings
) -> None:
    break_invoices(raw_demo, shipped_registry)

    page = validate_into_report(
        settings, shipped_registry, "run-1", {"billing__invoices", "support__tickets"}
    ).read_text()

    assert page.count('<h2 id="') == 2
    assert "What needs attention" in page
    assert "billing.invoices [error] At most 0.1% of a delivery&#39;s rows are quarantined" in page
    assert "delivery 2025-05 (2025-05.csv): 165 rows read, 2 quarantined (out_of_range 2; " in page
    assert "e.g. 2025-05.csv row 3: total_amount=" in page
    assert "expect_column_values_to_be_unique" in page and "column=ticket_id" in page
    assert "periods: 2025-05" in page
    # Self-contained: nothing for the browser to fetch or run.
    assert "<script" not in page and not re.search(r"(src|href)=\"https?:", page)


def test_reports_are_listed_newest_first_and_by_period(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, settings: Settings
) -> None:
    validate_into_report(settings, shipped_registry, "run-clean", {"billing__invoices"})
    break_invoices(raw_demo, shipped_registry)
    validate_into_report(settings, shipped_registry, "run-broken", {"billing__invoices"})

    reports = list_quality_reports(settings)
    assert [(r.run_id, r.status, r.periods) for r in reports] == [
        ("run-broken", "failed", ("2025-05",)),
        ("run-clean", "passed", ("2025-05",)),
    ]
    assert reports[0].failures[0].startswith("billing.invoices [error] At most 0.1%")
    assert [r.run_id for r in list_quality_reports(settings, "2025-05")] == ["run-broken", "run-clean"]
    assert list_quality_reports(settings, "2025-04") == []


def test_scorecard_quality_prints_reports_and_the_newest_failures(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, settings: Settings
) -> None:
    break_invoices(raw_demo, shipped_registry)
    validate_into_report(settings, shipped_registry, "run-broken", {"billing__invoices"})
    runner = CliRunner()

    listed = runner.invoke(app, ["quality", "--period", "2025-05"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0, listed.output
    assert "run-broken" in listed.output and "failed" in listed.output
    assert "What failed in run run-broken (errors first):" in listed.output
    assert "2 quarantined (out_of_range 2; e.g. 2025-05.csv row 3: total_amount=" in listed.output

    other = runner.invoke(app, ["quality", "--period", "2024-01"])
    assert other.exit_code == 0
    assert "No quality reports for 2024-01" in other.output
    bad = runner.invoke(app, ["quality", "--period", "May"])
    assert bad.exit_code == 2 and "write a month as YYYY-MM" in bad.output


def test_quarantined_rows_are_listed_with_file_row_rule_and_detail(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, settings: Settings
) -> None:
    assert list_quarantine(settings) == []
    break_invoices(raw_demo, shipped_registry)

    rows = list_quarantine(settings, "billing", "invoices")
    assert [(r.source_row_number, r.rule, r.column_name, r.superseded) for r in rows] == [
        (3, "out_of_range", "total_amount", False),
        (7, "out_of_range", "total_amount", False),
    ]
    assert rows[0].source_file == str(raw_demo.landing / "billing" / "invoices" / "2025-05.csv")
    assert rows[0].detail.startswith("total_amount='-") and rows[0].detail.endswith("is below the minimum 0")
    assert list_quarantine(settings, "support") == []
    assert len(list_quarantine(settings, limit=1)) == 1

    # A corrected delivery supersedes the quarantined rows of the old version.
    rewrite_csv(
        raw_demo.landing / "billing" / "invoices" / "2025-05.csv",
        "SELECT * REPLACE (ltrim(total_amount, '-') AS total_amount) FROM source",
    )
    reingest(raw_demo, shipped_registry, "billing", "invoices")
    assert [r.superseded for r in list_quarantine(settings, "billing", "invoices")] == [True, True]

    printed = CliRunner().invoke(
        app, ["quarantine", "--system", "billing", "--table", "invoices"], env={"COLUMNS": "250"}
    )
    assert printed.exit_code == 0, printed.output
    assert "billing/invoices/2025-05.csv (superseded)" in printed.output
    assert "out_of_range" in printed.output
    unknown = CliRunner().invoke(app, ["quarantine", "--table", "invoice"])
    assert unknown.exit_code == 2
    assert "no source table matches that; sources.yml declares billing.plans" in unknown.output


def test_listing_before_any_run_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(tmp_path / "nothing"))
    assert list_quality_reports(get_settings()) == []
    with pytest.raises(FileNotFoundError, match="run `scorecard run` first"):
        list_quarantine(get_settings())
    printed = CliRunner().invoke(app, ["quarantine"])
    assert printed.exit_code == 2 and "run `scorecard run` first" in printed.output
