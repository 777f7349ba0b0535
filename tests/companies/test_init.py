"""``scorecard init``: a new company validates, runs and publishes with no Python and no engine edit."""

from __future__ import annotations

import csv
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from orchestration.settings import get_settings
from orchestration.transform.project import dbt_env, dbt_executable
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


ORDER_COUNT_CONFIG = """
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
    slice_by: [channel]
    effective_from: 2026-01-01
"""
ORDER_COUNT_TARGET = """
  order_count:
    - kind: absolute
      value: 30
      from: 2026-01
      to: 2027-12
"""
ORDER_COUNT_SQL = """{{ config(meta={'measure_id': 'order_count'}) }}

with orders as (
    select
        {{ scorecard_engine.month_start('ordered_at') }} as month_start,
        channel,
        order_id
    from {{ ref('stg_shop__orders') }}
)

{{ scorecard_engine.measure_from_grain(
    'order_count', 'orders', 'numerator',
    numerator=scorecard_engine.flow_count_distinct('order_id'),
    zero_fill=true,
) }}
"""
ORDER_COUNT_YAML = """version: 2

models:
  - name: msr_order_count
    description: Orders (flow, count) placed in the period. {{ doc('measure_model') }}
    data_tests:
      - scorecard_engine.measure_shape

unit_tests:
  - name: msr_order_count_counts_each_order_once
    description: Two online orders and one retail order in January; the quarter counts all three.
    model: msr_order_count
    given:
      - input: ref('stg_shop__orders')
        format: csv
        rows: |
          order_id,ordered_at,channel,amount
          o1,2026-01-05 10:00:00,online,10
          o2,2026-01-06 10:00:00,online,20
          o3,2026-01-07 10:00:00,retail,30
      - input: ref('int_fiscal_periods')
        format: csv
        rows: |
          period_grain,period_start,period_end,period_label,month_start,is_first_month,is_last_month
          month,2026-01-01,2026-01-31,2026-01,2026-01-01,true,true
          quarter,2026-01-01,2026-03-31,FY2026-Q1,2026-01-01,true,false
      - input: ref('int_scorecard_segments')
        format: csv
        rows: |
          segment_dimension,segment_value
          all,all
          channel,online
          channel,retail
      - input: ref('cfg_measures')
        rows:
          - {measure_id: order_count, frequency: monthly, effective_from: 2026-01-01, retired_on: null}
    expect:
      format: csv
      rows: |
        measure_id,period_grain,period_start,segment_dimension,segment_value,value
        order_count,month,2026-01-01,all,all,3
        order_count,month,2026-01-01,channel,online,2
        order_count,month,2026-01-01,channel,retail,1
        order_count,quarter,2026-01-01,all,all,3
        order_count,quarter,2026-01-01,channel,online,2
        order_count,quarter,2026-01-01,channel,retail,1
"""


def test_a_dbt_parse_error_is_a_message_not_a_traceback(acme: Company) -> None:
    """Two models with one name: dbt cannot parse; the run says so, names the files, exits 2."""
    original = acme.root / "dbt_project" / "models" / "staging" / "shop" / "stg_shop__orders.sql"
    copy = original.parent / "again" / original.name
    copy.parent.mkdir()
    copy.write_text(original.read_text())
    try:
        failed = acme.cli("run", check=False)
    finally:
        copy.unlink()
        copy.parent.rmdir()
    output = " ".join((failed.stdout + failed.stderr).split())  # the terminal wraps long lines
    assert failed.returncode == 2, output
    assert "Traceback" not in output
    assert "dbt could not parse" in output and "fix the model or YAML it names" in output
    assert "stg_shop__orders" in output and "again" in output


def test_a_missing_landing_directory_is_one_message(acme: Company, tmp_path: Path) -> None:
    nowhere = tmp_path / "no-landing-here"
    elsewhere = Company(acme.root, {**acme.env, "SCORECARD_LANDING_DIR": str(nowhere)})
    failed = elsewhere.cli("run", check=False)
    output = " ".join((failed.stdout + failed.stderr).split())
    assert failed.returncode == 2, output
    assert f"The landing directory {nowhere} does not exist" in output
    assert "shop.orders" in output and "SCORECARD_LANDING_DIR" in output
    assert "Traceback" not in output and "Not executing" not in output


def test_adding_a_measure_takes_three_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's walkthrough: a config entry with its target, the SQL model, its YAML and unit test."""
    root = tmp_path / "acme"
    env = company_env(tmp_path, first_month=None, last_month=LAST_MONTH)
    run_cli(["init", str(root), "--end-month", LAST_MONTH], env)
    company = Company(root, env)
    config = root / "scorecard_config"
    (config / "measures.yml").write_text((config / "measures.yml").read_text() + ORDER_COUNT_CONFIG)
    (config / "targets.yml").write_text((config / "targets.yml").read_text() + ORDER_COUNT_TARGET)
    measures = root / "dbt_project" / "models" / "measures" / "customer"
    measures.mkdir(parents=True)
    (measures / "msr_order_count.sql").write_text(ORDER_COUNT_SQL)
    (measures / "msr_order_count.yml").write_text(ORDER_COUNT_YAML)

    company.cli("validate")
    company.cli("run")
    orders_per_month: dict[str, int] = defaultdict(int)
    for path in (root / "landing" / "shop" / "orders").glob("*.csv"):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                orders_per_month[row["ordered_at"][:7]] += 1
    published = dict(
        company.query(
            "select strftime(period_start, '%Y-%m'), value from scorecard.measure_values "
            "where measure_id = 'order_count' and period_grain = 'month' and segment_dimension = 'all' "
            "and value is not null"
        )
    )
    assert published == {month: float(count) for month, count in orders_per_month.items()}
    targets = company.query(
        "select distinct target from scorecard.scorecard where measure_id = 'order_count' "
        "and scorecard_id = 'corporate' and period_grain = 'month'"
    )
    assert targets == [(30.0,)]

    # The unit test beside the model passes under dbt, as CI runs unit tests.
    monkeypatch.setenv("SCORECARD_COMPANY_DIR", str(root))
    settings = get_settings()
    unit = subprocess.run(
        [dbt_executable(), "test", "--select", "msr_order_count,test_type:unit"],
        cwd=settings.dbt_project_dir,
        env=dbt_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    assert unit.returncode == 0, unit.stdout + unit.stderr
    # One unit test passed (the engine's two project hooks run with every dbt command and count too).
    assert unit.stdout.count("PASS msr_order_count::") == 1, unit.stdout
    assert "ERROR=0" in unit.stdout
