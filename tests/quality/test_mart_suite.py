"""The measure_values plausibility suite on crafted published values: rates, signs and ARR jumps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality.suites import load_suite_files
from orchestration.quality.validate import SuiteOutcome, failure_message, validate_suite
from orchestration.warehouse import connect

MEASURES = [
    ("arr", "usd", "stock", "higher_is_better"),
    ("support_csat", "percent", "ratio", "higher_is_better"),
    ("net_revenue_retention", "percent", "ratio", "higher_is_better"),
    ("active_customers", "count", "stock", "higher_is_better"),
    ("employee_engagement_score", "score", "ratio", "higher_is_better"),
]


def build(path: Path, changes: list[tuple[str, int, float]], unknown: bool = False) -> Path:
    """Twelve months of plausible values per measure, then ``(measure, month, value)`` overrides."""
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA config; CREATE SCHEMA scorecard")
        con.execute(
            "CREATE TABLE config.cfg_measures (measure_id VARCHAR, unit VARCHAR, measure_type VARCHAR, "
            "direction VARCHAR)"
        )
        con.executemany("INSERT INTO config.cfg_measures VALUES (?, ?, ?, ?)", MEASURES)
        plausible = {
            "arr": "1000000 + 20000 * m",
            "support_csat": "0.8",
            "net_revenue_retention": "1.05",
            "active_customers": "500 + 5 * m",
            "employee_engagement_score": "3.9",
        }
        union = " UNION ALL ".join(
            f"SELECT '{measure}' AS measure_id, m, CAST({value} AS DOUBLE) AS value FROM range(1, 13) AS t(m)"
            for measure, value in plausible.items()
        )
        con.execute(
            f"""
            CREATE TABLE scorecard.measure_values AS
            SELECT
                measure_id, 'month' AS period_grain,
                CAST(DATE '2024-12-01' + to_months(m) AS DATE) AS period_start,
                'all' AS segment_dimension, 'all' AS segment_value,
                CAST(NULL AS DOUBLE) AS numerator, CAST(1 AS DOUBLE) AS denominator, value
            FROM ({union})
            """
        )
        for measure, month, value in changes:
            con.execute(
                "UPDATE scorecard.measure_values SET value = ? WHERE measure_id = ? AND period_start = ?",
                [value, measure, date(2025, month, 1)],
            )
        if unknown:
            con.execute(
                "INSERT INTO scorecard.measure_values SELECT 'mystery', period_grain, period_start, "
                "segment_dimension, segment_value, numerator, denominator, value "
                "FROM scorecard.measure_values WHERE measure_id = 'arr'"
            )
    finally:
        con.close()
    return path


def validate(path: Path, registry: SourceRegistry) -> SuiteOutcome:
    suite = next(s for s in load_suite_files(registry) if s.name == "scorecard__measure_values")
    con = connect(path)
    try:
        return validate_suite(con, suite, registry, run_id="r", reference=date(2025, 12, 1))
    finally:
        con.close()


def test_plausible_values_pass(tmp_path: Path, shipped_registry: SourceRegistry) -> None:
    outcome = validate(build(tmp_path / "w.duckdb", []), shipped_registry)
    assert outcome.passed, [failure_message(outcome, e) for e in outcome.failures]
    assert outcome.frame_rows == {"rows": 60, "month_over_month": 55}


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ([("arr", 7, 12_500_000.0)], "Company-wide ARR does not jump or fall tenfold"),
        ([("arr", 9, 90_000.0)], "Company-wide ARR does not jump or fall tenfold"),
        ([("support_csat", 4, 1.3)], "Percent measures lie between 0 and 1"),
        ([("active_customers", 3, -2.0)], "Counts, amounts and durations are not negative"),
        ([("employee_engagement_score", 3, 0.5)], "Scores on a 1-5 survey scale lie between 1 and 5"),
    ],
)
def test_implausible_values_are_errors_naming_measure_and_period(
    tmp_path: Path, shipped_registry: SourceRegistry, changes: list, failing: str
) -> None:
    outcome = validate(build(tmp_path / "w.duckdb", changes), shipped_registry)

    assert outcome.severity == "error"
    [failure] = outcome.failures
    message = failure_message(outcome, failure)
    assert failing in message
    measure, month, _ = changes[0]
    assert f"measure_id='{measure}'" in message
    assert f"period_start='2025-{month:02d}-01" in message


def test_a_young_series_may_ramp_up_and_retention_above_one_is_fine(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    ramp = [("arr", 1, 20_000.0), ("arr", 2, 400_000.0), ("net_revenue_retention", 5, 1.4)]
    assert validate(build(tmp_path / "w.duckdb", ramp), shipped_registry).passed


def test_a_measure_missing_from_the_config_is_an_error(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    outcome = validate(build(tmp_path / "w.duckdb", [], unknown=True), shipped_registry)
    [failure] = outcome.failures
    assert failure.kwargs == {"column": "unit"}
    assert "measure_id='mystery'" in failure_message(outcome, failure)


def test_segment_rows_are_long_form_and_only_company_arr_must_not_jump(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    # A segment's series (any dimension the company declares) is checked for range and sign like the
    # company row, but a small segment's ARR may legitimately jump tenfold.
    path = build(tmp_path / "w.duckdb", [])
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "INSERT INTO scorecard.measure_values SELECT measure_id, period_grain, period_start, 'store', "
            "'downtown', numerator, denominator, CASE WHEN period_start >= DATE '2025-07-01' THEN value "
            "ELSE value / 20 END FROM scorecard.measure_values WHERE measure_id = 'arr'"
        )
    finally:
        con.close()
    outcome = validate(path, shipped_registry)
    assert outcome.passed, [failure_message(outcome, e) for e in outcome.failures]
    assert outcome.frame_rows == {"rows": 72, "month_over_month": 66}

    con = duckdb.connect(str(path))
    try:
        con.execute(
            "UPDATE scorecard.measure_values SET value = -1 WHERE segment_dimension = 'store' "
            "AND period_start = DATE '2025-03-01'"
        )
    finally:
        con.close()
    outcome = validate(path, shipped_registry)
    [failure] = outcome.failures
    message = failure_message(outcome, failure)
    assert "Counts, amounts and durations are not negative" in message
    assert "segment_dimension='store'" in message and "segment_value='downtown'" in message
