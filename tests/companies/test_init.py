"""``scorecard init``: a new company validates, runs and publishes with no Python and no engine edit."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tests.companies.helpers import (
    Company,
    company_env,
    engine_is_untouched,
    nodes_outside,
    raw_tables,
    run_cli,
)

pytestmark = pytest.mark.slow

LAST_MONTH = "2026-10"


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Company:
    root = tmp_path_factory.mktemp("companies") / "acme_retail"
    env = company_env(root.parent, first_month=None, last_month=LAST_MONTH)
    company = Company(root, env)
    before = engine_is_untouched()
    # init takes no --company (the folder does not exist yet).
    created = run_cli(["init", str(root), "--name", "Acme Retail", "--end-month", LAST_MONTH], env)
    assert "Company folder written" in created.stdout
    company.cli("validate")
    company.cli("run")
    assert engine_is_untouched() == before, "a company's run changed engine files"
    return company


def test_the_scaffold_is_a_complete_company(acme: Company) -> None:
    files = {path.relative_to(acme.root).as_posix() for path in acme.root.rglob("*") if path.is_file()}
    for expected in (
        "scorecard_config/strategy.yml",
        "scorecard_config/measures.yml",
        "scorecard_config/targets.yml",
        "scorecard_config/scorecards.yml",
        "scorecard_config/sources.yml",
        "dbt_project/dbt_project.yml",
        "dbt_project/packages.yml",
        "dbt_project/models/staging/shop/stg_shop__orders.sql",
        "dbt_project/models/measures/financial/msr_revenue.sql",
        "dbt_project/models/measures/financial/msr_revenue.yml",
        "expectations/shop__orders.json",
        "landing/shop/orders/2026-10.csv",
    ):
        assert expected in files
    assert "unit_tests:" in (acme.root / "dbt_project/models/measures/financial/msr_revenue.yml").read_text()


def test_init_refuses_a_folder_that_is_not_empty(acme: Company) -> None:
    again = run_cli(["init", str(acme.root)], acme.env, check=False)
    assert again.returncode == 2
    assert "is not empty" in again.stderr and "never overwrites" in again.stderr


def test_it_publishes_revenue_by_its_own_segment_dimension(acme: Company) -> None:
    """The published month values are the sums of the sample CSVs, per channel and in total."""
    expected: dict[tuple[str, str], float] = defaultdict(float)
    for path in sorted((acme.root / "landing" / "shop" / "orders").glob("*.csv")):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                month = row["ordered_at"][:7]
                expected[(month, "all")] += float(row["amount"])
                expected[(month, row["channel"])] += float(row["amount"])
    published = acme.query(
        "select strftime(period_start, '%Y-%m'), segment_dimension, segment_value, value "
        "from scorecard.measure_values where measure_id = 'revenue' and period_grain = 'month' "
        "and value is not null"
    )
    assert {dimension for _, dimension, _, _ in published} == {"all", "channel"}
    actual = {(month, value): amount for month, _, value, amount in published}
    assert actual.keys() == expected.keys()
    for key, amount in expected.items():
        assert actual[key] == pytest.approx(amount, rel=1e-9)


def test_its_cascade_reads_its_segment(acme: Company) -> None:
    rows = acme.query(
        "select distinct scorecard_id, segment_dimension, segment_value from scorecard.scorecard "
        "order by scorecard_id"
    )
    assert rows == [("corporate", "all", "all"), ("online", "channel", "online")]
    statuses = {status for (status,) in acme.query("select distinct status from scorecard.scorecard")}
    assert statuses & {"on_track", "at_risk", "off_track"}


def test_its_run_builds_nothing_of_another_company(acme: Company) -> None:
    assert nodes_outside(acme) == []
    assert raw_tables(acme) == {"shop__orders"}


def test_its_report_renders(acme: Company) -> None:
    acme.cli("report", "--period", LAST_MONTH)
    report = acme.root / "warehouse" / "reports" / f"scorecard_corporate_{LAST_MONTH}.html"
    html = report.read_text(encoding="utf-8")
    assert "Acme Retail" in html and "Revenue" in html


def test_a_measure_without_its_model_gets_the_right_fix(acme: Company, tmp_path: Path) -> None:
    measures = acme.root / "scorecard_config" / "measures.yml"
    original = measures.read_text()
    try:
        measures.write_text(
            original
            + """
  - id: order_count
    name: Orders
    definition: Orders placed in the period.
    objective: grow_revenue
    owner: Alex Doe, Chief Executive Officer
    unit: count
    direction: higher_is_better
    indicator_type: leading
    frequency: monthly
    measure_type: flow
    data_sources: [shop.orders]
    effective_from: 2026-01-01
"""
        )
        failed = acme.cli("run", check=False)
    finally:
        measures.write_text(original)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "measure `order_count` has no governed model" in output
    assert "msr_order_count.sql" in output
    assert "Traceback" not in output
