"""Incremental measure_values: closed periods outside the restatement window keep their values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.dbt.helpers import DBT_VARS, DbtProject, describe_failure

pytestmark = pytest.mark.slow

# LAST_MONTH is 2025-05 and the default window is 3 months: periods ending before February 2025 are
# closed; anything ending on or after 1 February 2025 is recomputed.
WINDOW_START = date(2025, 2, 1)
OLD_MONTH = date(2024, 4, 1)
RECENT_MONTH = date(2025, 4, 1)

_CSAT = """
    select value, computed_at from scorecard.measure_values
    where measure_id = 'support_csat' and period_grain = 'month' and period_start = ?
        and segment_dimension = 'all' and segment_value = 'all'
"""


def _rewrite_csat_scores(warehouse: Path, month: date) -> None:
    """A late correction in the source: every CSAT answer of the month becomes a 1."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update raw.support__csat_responses set score = 1 "
            "where responded_at >= ? and responded_at < ? + interval 1 month",
            [month, month],
        )


def _computed_at_by_row(project: DbtProject) -> dict[tuple, object]:
    rows = project.query(
        """
        select
            measure_id, period_grain, period_start, segment_dimension, segment_value, period_end, computed_at
        from scorecard.measure_values
        """
    )
    return {row[:5]: (row[5], row[6]) for row in rows}


@pytest.fixture
def changed_project(built_project: DbtProject, tmp_path: Path) -> DbtProject:
    return built_project.with_warehouse(tmp_path / "warehouse.duckdb", tmp_path / "dbt_project")


def test_incremental_run_only_restates_the_window(changed_project: DbtProject) -> None:
    before = _computed_at_by_row(changed_project)
    (old_value, _), (recent_value, _) = (
        changed_project.query(_CSAT, [m])[0] for m in (OLD_MONTH, RECENT_MONTH)
    )
    assert old_value and recent_value, "the demo should have CSAT answers in both months"

    _rewrite_csat_scores(changed_project.warehouse_path, OLD_MONTH)
    _rewrite_csat_scores(changed_project.warehouse_path, RECENT_MONTH)
    result = changed_project.dbt("run")
    assert result.returncode == 0, describe_failure(result)

    after = _computed_at_by_row(changed_project)
    assert after.keys() == before.keys(), "an incremental run must neither add nor drop rows"
    for key, (period_end, computed_at) in after.items():
        if period_end < WINDOW_START:
            assert computed_at == before[key][1], f"closed period recomputed: {key}"
        else:
            assert computed_at > before[key][1], f"period in the window not recomputed: {key}"

    assert changed_project.query(_CSAT, [OLD_MONTH])[0][0] == old_value
    assert changed_project.query(_CSAT, [RECENT_MONTH])[0][0] == 0.0

    # The measure model is incremental on the same window: its closed month kept its value too.
    (measure_old_value,) = changed_project.query(
        "select value from measures.msr_support_csat where period_grain = 'month' and period_start = ? "
        "and segment_dimension = 'all'",
        [OLD_MONTH],
    )[0]
    assert measure_old_value == old_value

    # A full refresh of the measure and measure_values restates history (`dbt build --full-refresh`,
    # `scorecard run --all`, refresh every measure).
    result = changed_project.dbt("run", "--select", "msr_support_csat", "measure_values", "--full-refresh")
    assert result.returncode == 0, describe_failure(result)
    assert changed_project.query(_CSAT, [OLD_MONTH])[0][0] == 0.0


def test_restatement_window_is_a_var(changed_project: DbtProject) -> None:
    before = _computed_at_by_row(changed_project)
    result = changed_project.dbt(
        "run",
        "--select",
        "measure_values",
        dbt_vars={**DBT_VARS, "restatement_window_months": 0},
    )
    assert result.returncode == 0, describe_failure(result)
    after = _computed_at_by_row(changed_project)
    recomputed = {key for key, (_, computed_at) in after.items() if computed_at != before[key][1]}
    # Only periods still open in May 2025: the month itself, its fiscal quarter and fiscal year.
    assert {(key[1], key[2]) for key in recomputed} == {
        ("month", date(2025, 5, 1)),
        ("quarter", date(2025, 5, 1)),
        ("year", date(2025, 2, 1)),
    }
