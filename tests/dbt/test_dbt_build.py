"""The whole project builds on a generated warehouse: every model, data test and unit test passes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.dbt.helpers import DbtProject, describe_failure

pytestmark = pytest.mark.slow


def test_dbt_build_runs_every_node_successfully(built_project: DbtProject) -> None:
    results = built_project.run_results()["results"]
    # Exposures (the Evidence pages) are nodes dbt build visits but has nothing to run for: no-op.
    exposures = [r for r in results if r["unique_id"].startswith("exposure.")]
    assert {r["status"] for r in exposures} <= {"no-op"}
    statuses = Counter(r["status"] for r in results if not r["unique_id"].startswith("exposure."))
    assert set(statuses) <= {"success", "pass"}, statuses
    kinds = Counter(result["unique_id"].split(".")[0] for result in results)
    # Seeds, models, data tests and unit tests all ran (not an empty selection).
    assert kinds["model"] >= 50
    # At least one unit test per configured measure (every measure model has one).
    assert kinds["unit_test"] >= len(built_project.config().measures)
    assert kinds["test"] >= 100
    assert kinds["seed"] >= 2


def test_measure_values_has_every_measure_for_the_cascade_segment(built_project: DbtProject) -> None:
    config = built_project.config()
    cascades = [scorecard for scorecard in config.scorecards if scorecard.segment]
    assert cascades, "the demo has a cascaded scorecard"
    for scorecard in cascades:
        ((dimension, value),) = scorecard.segment.items()
        cascade = set(config.scorecard_measure_ids(scorecard))
        measures_with_cascade_rows = {
            row[0]
            for row in built_project.query(
                "select distinct measure_id from scorecard.measure_values "
                "where segment_dimension = ? and segment_value = ?",
                [dimension, value],
            )
        }
        assert cascade <= measures_with_cascade_rows, scorecard.id
        # The cascade's slice has real values, not only spine rows.
        with_values = built_project.query(
            """
            select count(distinct measure_id) from scorecard.measure_values
            where segment_dimension = ? and segment_value = ? and period_grain = 'month'
                and value is not null
            """,
            [dimension, value],
        )[0][0]
        assert with_values >= len(cascade), scorecard.id


def test_dbt_docs_generate_succeeds(built_project: DbtProject) -> None:
    result = built_project.dbt("docs", "generate")
    assert result.returncode == 0, describe_failure(result)
    assert (built_project.target_dir / "catalog.json").exists()


def test_not_null_columns_fails_naming_each_column_with_nulls(
    built_project: DbtProject, tmp_path: Path
) -> None:
    project = built_project.with_warehouse(tmp_path / "warehouse.duckdb", tmp_path / "dbt_project")
    select = ("--select", "not_null_columns_measure_values", "--store-failures")
    healthy = project.dbt("test", *select)
    assert healthy.returncode == 0, describe_failure(healthy)
    with duckdb.connect(str(project.warehouse_path)) as con:
        # Two of the columns the test lists lose their value: one on one row, one on every month row.
        con.execute(
            "update scorecard.measure_values set period_label = null "
            "where rowid = (select min(rowid) from scorecard.measure_values)"
        )
        con.execute("update scorecard.measure_values set period_end = null where period_grain = 'month'")
        (month_rows,) = con.execute(
            "select count(*) from scorecard.measure_values where period_grain = 'month'"
        ).fetchone()
    broken = project.dbt("test", *select)
    assert broken.returncode == 1, describe_failure(broken)
    assert "Got 2 results" in broken.stdout, broken.stdout
    (schema,) = project.query(
        "select table_schema from information_schema.tables "
        "where table_name = 'not_null_columns_measure_values'"
    )[0]
    failures = dict(
        project.query(f'select column_name, null_rows from "{schema}".not_null_columns_measure_values')
    )
    assert failures == {"period_label": 1, "period_end": month_rows}
