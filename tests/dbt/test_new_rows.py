"""Staging tests marked `scorecard_engine:new_rows` test only the rows loaded after the tested moment."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.defs.dbt_cli import process_environment
from orchestration.transform.window import ENV_TESTED_THROUGH
from tests.dbt.helpers import DbtProject, describe_failure

pytestmark = pytest.mark.slow

SEGMENT_TEST = "accepted_values_stg_crm__accounts_customer_segment"


@pytest.fixture(scope="module")
def bad_account(built_project: DbtProject, tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A copy whose raw accounts gained an account of unknown segment, loaded 2024-06-01 12:00 UTC."""
    root = tmp_path_factory.mktemp("new_rows")
    project = built_project.with_warehouse(root / "warehouse.duckdb", root / "dbt_project")
    with duckdb.connect(str(project.warehouse_path)) as con:
        con.execute(
            """
            insert into raw.crm__accounts by name
            select * replace (
                'ACC-NEW-ROWS' as account_id,
                'bogus_segment' as segment,
                'late' as _load_id,
                timestamptz '2024-06-01 12:00:00+00' as _loaded_at
            )
            from raw.crm__accounts
            limit 1
            """
        )
    return project


def _segment_test(project: DbtProject, tested_through: str | None) -> tuple[str, int]:
    """The segment test's status (the demo declares it severity warn) and how many values it flagged."""
    with process_environment({ENV_TESTED_THROUGH: tested_through}):
        result = project.dbt("test", "--select", "test_name:accepted_values,stg_crm__accounts")
    assert result.returncode == 0, describe_failure(result)
    (outcome,) = [
        outcome for outcome in project.run_results()["results"] if SEGMENT_TEST in outcome["unique_id"]
    ]
    return outcome["status"], outcome["failures"]


def test_a_row_loaded_after_the_tested_moment_is_tested(bad_account: DbtProject) -> None:
    assert _segment_test(bad_account, "2024-06-01 11:59:59.999999") == ("warn", 1)


def test_rows_loaded_before_the_tested_moment_are_not_tested_again(bad_account: DbtProject) -> None:
    # The bad row is older than the moment: a published build with the same tests already passed it.
    assert _segment_test(bad_account, "2024-06-01 12:00:00.000000") == ("pass", 0)


def test_without_a_tested_moment_every_row_is_tested(bad_account: DbtProject) -> None:
    # A hand-run dbt, a full refresh, a first build or changed definitions: no moment is set.
    assert _segment_test(bad_account, None) == ("warn", 1)


def test_an_unreadable_moment_is_a_clear_error(bad_account: DbtProject) -> None:
    with process_environment({ENV_TESTED_THROUGH: "yesterday"}):
        result = bad_account.dbt("test", "--select", "test_name:accepted_values,stg_crm__accounts")
    assert result.returncode != 0
    assert "SCORECARD_BUILD_TESTED_THROUGH is 'yesterday'" in result.stdout, result.stdout
