"""Strategy-map evidence and year-end forecasts on the demo as users get it (default seed and scale).

The marts fixture's small company (scale 0.1, a few accounts a month) is too noisy for any honest
test to find the links the generator builds in; the demo users run (`scorecard demo`: seed 42,
scale 1) is not, so this module builds that one, once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import pytest

from tests.dbt.helpers import DbtProject, copy_project, describe_failure
from tests.marts.conftest import DBT_VARS, load_demo

pytestmark = pytest.mark.slow

LAST_MONTH = date(2026, 10, 1)
# The links orchestration/demo builds into the data (customers.py): CS training drives onboarding
# one month later and first-contact resolution two months later; resolving first time drives CSAT.
BUILT_IN_LINKS = {
    ("build_cs_capability", "onboard_customers_successfully"),
    ("build_cs_capability", "resolve_issues_first_time"),
    ("resolve_issues_first_time", "delight_customers_in_support"),
}
VERDICTS = {"supported", "contradicted", "inconclusive", "not_enough_data"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtProject]:
    root = tmp_path_factory.mktemp("links_demo")
    project = copy_project(root)
    load_demo(root, project.warehouse_path, seed=42, scale=1.0)
    result = project.dbt("build", "--full-refresh", "--exclude", "test_type:unit", dbt_vars=DBT_VARS)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{describe_failure(result)}")
    yield project


def _latest_links(demo: DbtProject) -> dict[tuple[str, str], tuple]:
    rows = demo.query(
        """
        select cause_objective_id, effect_objective_id, evidence_verdict, evidence_detrended_correlation,
               evidence_correlation_low, evidence_correlation_high, evidence_pairs, evidence_lag_months,
               lag_months, evidence_tests_searched
        from scorecard.strategy_map
        where scorecard_id = 'corporate' and period_grain = 'month' and period_start = ?
        """,
        [LAST_MONTH],
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def test_the_links_the_generator_builds_in_read_supported(demo: DbtProject) -> None:
    links = _latest_links(demo)
    for link in BUILT_IN_LINKS:
        verdict, correlation, low, high, pairs, lag, declared, tests = links[link]
        assert verdict == "supported", (link, links[link])
        assert 0 < low <= correlation <= high < 1
        assert pairs >= 12
        assert abs(lag - declared) <= 2 and lag >= 0
        assert tests >= 1


def test_every_verdict_matches_its_interval(demo: DbtProject) -> None:
    for link, (verdict, correlation, low, high, pairs, *_rest) in _latest_links(demo).items():
        assert verdict in VERDICTS, link
        if verdict == "not_enough_data":
            assert correlation is None
            continue
        assert low <= correlation <= high and pairs >= 12, link
        assert verdict == ("supported" if low > 0 else "contradicted" if high < 0 else "inconclusive"), link


def test_contradicted_links_and_only_those_are_findings(demo: DbtProject) -> None:
    contradicted = demo.query(
        """
        select scorecard_id, period_grain, period_start, effect_objective_id
        from scorecard.strategy_map where evidence_verdict = 'contradicted'
        """
    )
    findings = demo.query(
        """
        select scorecard_id, period_grain, period_start, objective_id, message
        from scorecard.balance_findings where finding_type = 'contradicted_assumption'
        """
    )
    assert sorted(contradicted) == sorted(row[:4] for row in findings)
    assert all("The data contradicts the assumption" in row[4] and "pairs)." in row[4] for row in findings)


def test_a_flow_is_projected_by_run_rate_from_its_year_to_date(demo: DbtProject) -> None:
    (row,) = demo.query(
        """
        select fiscal_year_label, periods_elapsed, periods_remaining, periods_with_actual,
               year_to_date_value, projected_value, annual_target, forecast_method
        from scorecard.measure_forecasts
        where scorecard_id = 'corporate' and measure_id = 'new_customers' and period_start = ?
        """,
        [LAST_MONTH],
    )
    label, elapsed, remaining, with_actual, year_to_date, projected, target, method = row
    assert method == "run_rate" and elapsed + remaining == 12
    (actuals,) = demo.query(
        """
        select sum(s.actual) from scorecard.scorecard s
        join scorecard.scorecard y on y.scorecard_id = s.scorecard_id and y.measure_id = s.measure_id
            and y.period_grain = 'year' and y.period_label = ? and s.period_start between y.period_start and ?
        where s.scorecard_id = 'corporate' and s.measure_id = 'new_customers' and s.period_grain = 'month'
        """,
        [label, LAST_MONTH],
    )
    assert math.isclose(year_to_date, actuals[0])
    assert math.isclose(projected, year_to_date + year_to_date / with_actual * remaining)
    (year_target,) = demo.query(
        "select target from scorecard.scorecard where scorecard_id = 'corporate' and measure_id = "
        "'new_customers' and period_grain = 'year' and period_label = ?",
        [label],
    )
    assert math.isclose(target, year_target[0])


def test_every_measure_with_an_annual_target_has_a_forecast_and_misses_are_findings(demo: DbtProject) -> None:
    with_target = demo.query(
        """
        select distinct s.measure_id from scorecard.scorecard s
        join config.cfg_measures m on m.measure_id = s.measure_id and m.frequency = 'monthly'
        where s.scorecard_id = 'corporate' and s.period_grain = 'year' and s.target is not null
          and ? between s.period_start and s.period_end
        """,
        [LAST_MONTH],
    )
    forecast = demo.query(
        "select measure_id, forecast_method, projected_value from scorecard.measure_forecasts "
        "where scorecard_id = 'corporate' and period_start = ?",
        [LAST_MONTH],
    )
    assert {row[0] for row in with_target} <= {row[0] for row in forecast}
    assert all(row[2] is not None for row in forecast if row[0] in {r[0] for r in with_target})
    misses = demo.query(
        "select scorecard_id, period_grain, period_start, measure_id from scorecard.measure_forecasts "
        "where is_projected_miss"
    )
    findings = demo.query(
        "select scorecard_id, period_grain, period_start, measure_id, message "
        "from scorecard.balance_findings where finding_type = 'forecast_miss'"
    )
    assert misses, "the demo has on-track months whose year is projected to miss"
    assert sorted(misses) == sorted(row[:4] for row in findings)
    assert all("projected to reach" in row[4] and "annual target of" in row[4] for row in findings)
