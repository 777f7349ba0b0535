"""Reading a period from the marts: which rows a report shows, and errors that say what exists."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.report import ReportError, latest_closed_period, render_report
from orchestration.report.data import REQUIRED_TABLES, load_report_data
from orchestration.settings import ENGINE_DBT_DIR
from tests.report.helpers import CASCADE_FIRST_PERIOD, FIRST_PERIOD, LATEST_PERIOD


def test_latest_closed_period_is_the_latest_month_of_balance_report(marts_db: Path) -> None:
    assert latest_closed_period(marts_db) == LATEST_PERIOD


def test_the_fixture_covers_every_status_at_the_latest_month(marts_db: Path) -> None:
    # Guards the fixture itself: the rendering tests below rely on every status being present.
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    statuses = {view.row["status"] for view in data.measures}
    assert statuses == {"on_track", "at_risk", "off_track", "no_data", "no_target", "untrusted"}
    assert {row["finding_type"] for row in data.findings} == {
        "imbalance",
        "early_warning",
        "off_track_measure",
        "missing_data",
        "missing_target",
        "untrusted_data",
        "overdue_action",
        "failed_assumption",
    }


def test_a_month_shows_monthly_rows_and_the_latest_closed_quarter_of_quarterly_measures(
    marts_db: Path,
) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    by_id = {view.row["measure_id"]: view for view in data.measures}
    assert len(by_id) == len(data.measures) == 10
    # ARR has quarter rows too (with other values); the month's own row wins.
    assert by_id["arr"].row["period_grain"] == "month"
    assert by_id["arr"].as_of is None
    assert by_id["arr"].row["actual"] == pytest.approx(11_558_044.5, abs=1)
    # Engagement is quarterly: FY2027-Q2 ended 2026-07-31; FY2027-Q3 is still open at 2026-09.
    engagement = by_id["employee_engagement_score"]
    assert engagement.as_of == "FY2027-Q2"
    assert engagement.row["actual"] == 76.0


def test_trend_history_is_the_last_twelve_months_of_the_shown_grain(marts_db: Path) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    by_id = {view.row["measure_id"]: view for view in data.measures}
    arr = by_id["arr"].history
    assert [row["period_label"] for row in arr] == [f"2025-{m:02d}" for m in range(10, 13)] + [
        f"2026-{m:02d}" for m in range(1, 10)
    ]
    assert {row["period_grain"] for row in arr} == {"month"}
    assert [row["period_label"] for row in by_id["employee_engagement_score"].history] == [
        "FY2026-Q3",
        "FY2026-Q4",
        "FY2027-Q1",
        "FY2027-Q2",
    ]
    # A month early in the data has only the months that exist.
    first = load_report_data(marts_db, period=FIRST_PERIOD, scorecard_id="corporate", schema="scorecard")
    assert all(len(view.history) == 1 for view in first.measures if view.row["period_grain"] == "month")


def test_the_cascade_reads_its_own_rows(marts_db: Path) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="cs_enterprise", schema="scorecard")
    assert {(view.row["segment_dimension"], view.row["segment_value"]) for view in data.measures} == {
        ("team", "cs_enterprise")
    }
    assert [row["perspective_id"] for row in data.perspectives] == ["customer", "learning_growth"]
    assert all(len(view.history) == 6 for view in data.measures)
    assert data.balance["financial_status"] == "no_data"


def test_a_month_lists_the_restatements_made_while_it_was_the_latest(marts_db: Path) -> None:
    latest = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    # The September refresh restated July and its quarter; Enterprise ARR is on no corporate row.
    assert [
        (row["measure_id"], row["period_label"], row["segment_dimension"], row["segment_value"])
        for row in latest.restatements
    ] == [
        ("arr", "FY2027-Q2", "all", "all"),
        ("arr", "2026-07", "all", "all"),
    ]
    july = latest.restatements[1]
    assert (july["as_reported_value"], july["restated_value"], july["measure_name"]) == (
        11800000.0,
        11845000.0,
        "Annual recurring revenue",
    )
    # The August refresh's restatement belongs to August's report, and only to the team it concerns.
    cascade = load_report_data(marts_db, period="2026-08", scorecard_id="cs_enterprise", schema="scorecard")
    assert [(row["measure_id"], row["period_label"]) for row in cascade.restatements] == [
        ("logo_churn_rate", "2026-06")
    ]
    assert (
        load_report_data(
            marts_db, period="2026-08", scorecard_id="corporate", schema="scorecard"
        ).restatements
        == []
    )
    assert (
        load_report_data(
            marts_db, period=LATEST_PERIOD, scorecard_id="cs_enterprise", schema="scorecard"
        ).restatements
        == []
    )


def test_findings_are_ordered_by_severity(marts_db: Path) -> None:
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    ranks = {"critical": 0, "warning": 1, "info": 2}
    severities = [ranks[row["severity"]] for row in data.findings]
    assert severities == sorted(severities)
    assert len(data.findings) == data.balance["findings_total"]


def test_open_actions_are_those_decided_by_the_period_and_not_done(marts_db: Path) -> None:
    latest = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    assert [row["action_id"] for row in latest.actions] == [
        "training_time_policy",  # overdue first
        "trial_conversion_analysis",
        "csm_hiring_plan",
    ]
    earlier = load_report_data(marts_db, period="2026-06", scorecard_id="corporate", schema="scorecard")
    assert [row["action_id"] for row in earlier.actions] == ["training_time_policy"]


@pytest.mark.parametrize("period", ["2026-13", "2026-9", "26-09", "2026/09", "", "September"])
def test_a_malformed_period_says_how_to_write_one(marts_db: Path, tmp_path: Path, period: str) -> None:
    with pytest.raises(ReportError, match=r"write a month as YYYY-MM, e\.g\. 2024-01"):
        render_report(marts_db, period=period, out_dir=tmp_path)


def test_an_unknown_period_lists_the_months_there_are(marts_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError) as raised:
        render_report(marts_db, period="2030-01", out_dir=tmp_path)
    message = str(raised.value)
    assert "'2030-01'" in message and "corporate" in message
    assert FIRST_PERIOD in message and LATEST_PERIOD in message
    assert not list(tmp_path.iterdir())


def test_a_cascade_month_before_its_history_lists_the_cascade_months(marts_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError) as raised:
        render_report(marts_db, period=FIRST_PERIOD, scorecard_id="cs_enterprise", out_dir=tmp_path)
    message = str(raised.value)
    assert f"months there: {CASCADE_FIRST_PERIOD}," in message
    assert message.rstrip().endswith(LATEST_PERIOD)


def test_an_unknown_scorecard_lists_the_scorecards_there_are(marts_db: Path, tmp_path: Path) -> None:
    with pytest.raises(
        ReportError, match=r"scorecard 'marketing' .*scorecards there: corporate, cs_enterprise"
    ):
        render_report(marts_db, period=LATEST_PERIOD, scorecard_id="marketing", out_dir=tmp_path)


def test_a_missing_file_says_how_to_build_one(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(ReportError, match=r"nowhere\.duckdb: no such DuckDB file.*scorecard run"):
        latest_closed_period(missing)
    assert not missing.exists()


def test_a_warehouse_without_marts_names_the_missing_tables(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema scorecard")
    con.execute("create table scorecard.measure_values (measure_id varchar)")
    con.close()
    with pytest.raises(ReportError) as raised:
        render_report(path, period=LATEST_PERIOD, out_dir=tmp_path / "out")
    message = str(raised.value)
    assert all(table in message for table in REQUIRED_TABLES)
    assert "scorecard run" in message


def test_a_schema_name_is_never_pasted_into_sql_unchecked(marts_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="not a plain SQL identifier"):
        render_report(marts_db, period=LATEST_PERIOD, out_dir=tmp_path, schema="scorecard; drop table x")


def test_the_marts_can_live_in_another_schema(marts_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "renamed.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"attach '{marts_db}' as fixture (read_only)")
    con.execute("create schema bsc")
    for table in REQUIRED_TABLES:
        con.execute(f"create table bsc.{table} as select * from fixture.scorecard.{table}")
    con.close()
    assert latest_closed_period(path, schema="bsc") == LATEST_PERIOD
    files = render_report(path, period=LATEST_PERIOD, out_dir=tmp_path / "out", schema="bsc")
    assert "Fixture Analytics" in files.html.read_text()
    with pytest.raises(ReportError, match="schema 'scorecard' lacks the published tables"):
        latest_closed_period(path)


def test_rendering_never_writes_to_the_database(marts_copy: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(marts_copy.read_bytes()).hexdigest()
    render_report(marts_copy, period=LATEST_PERIOD, out_dir=tmp_path / "out")
    latest_closed_period(marts_copy)
    assert hashlib.sha256(marts_copy.read_bytes()).hexdigest() == before
    assert not marts_copy.with_name(marts_copy.name + ".wal").exists()


def test_the_fixture_has_the_columns_of_the_dbt_marts(marts_db: Path) -> None:
    # The crafted marts stand in for dbt's: if a mart's contract changes, this says where. The marts
    # and the history snapshot are the engine's (the same for every company).
    dbt_dir = ENGINE_DBT_DIR
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        for table in REQUIRED_TABLES:
            (properties_file,) = [
                *(dbt_dir / "models" / "marts" / "scorecard").glob(f"{table}.yml"),
                *(dbt_dir / "snapshots" / "scorecard").glob(f"{table}.yml"),
            ]
            properties = yaml.safe_load(properties_file.read_text())
            nodes = properties.get("models", []) + properties.get("snapshots", [])
            (model,) = [model for model in nodes if model["name"] == table]
            contract = [column["name"] for column in model["columns"]]
            fixture = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'scorecard' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            assert fixture == contract, table
    finally:
        con.close()
