"""The period spine: every active measure has a row for every period and segment in range."""

from __future__ import annotations

import pytest

from tests.dbt.helpers import DbtProject

pytestmark = pytest.mark.slow


def test_rows_per_measure_are_periods_times_segments(built_project: DbtProject) -> None:
    rows = built_project.query(
        """
        select
            measure_id,
            count(*) as row_count,
            count(distinct period_grain || period_start) as periods,
            count(distinct segment_dimension || '|' || segment_value) as segments
        from scorecard.measure_values
        group by measure_id
        """
    )
    assert sorted(row[0] for row in rows) == sorted(m.id for m in built_project.config().measures)
    for measure_id, row_count, periods, segments in rows:
        assert row_count == periods * segments, f"{measure_id}: missing (period, segment) rows"


def test_each_measure_has_every_period_its_frequency_reports(built_project: DbtProject) -> None:
    missing_or_extra = built_project.query(
        """
        with expected as (
            select measures.measure_id, periods.period_grain, periods.period_start
            from config.cfg_measures as measures
            cross join (
                select distinct period_grain, period_start, period_end
                from intermediate.int_fiscal_periods
            ) as periods
            where (periods.period_grain <> 'month' or measures.frequency = 'monthly')
                and periods.period_end >= measures.effective_from
                and (measures.retired_on is null or periods.period_start < measures.retired_on)
        ),
        actual as (select distinct measure_id, period_grain, period_start from scorecard.measure_values)
        select 'missing' as problem, * from (select * from expected except select * from actual)
        union all
        select 'unexpected' as problem, * from (select * from actual except select * from expected)
        """
    )
    assert missing_or_extra == []
    # The demo's 15 months are 15 month periods, 6 fiscal quarters and 2 fiscal years (Feb start).
    grains = dict(
        built_project.query(
            "select period_grain, count(distinct period_start) "
            "from intermediate.int_fiscal_periods group by 1"
        )
    )
    assert grains == {"month": 15, "quarter": 6, "year": 2}


def test_each_measure_covers_every_declared_segment_of_its_dimensions(built_project: DbtProject) -> None:
    """Long form: the company row, then every declared value of each slice_by dimension."""
    config = built_project.config()
    seen: dict[str, dict[str, set[str]]] = {}
    for measure_id, dimension, value in built_project.query(
        "select distinct measure_id, segment_dimension, segment_value from scorecard.measure_values"
    ):
        seen.setdefault(measure_id, {}).setdefault(dimension, set()).add(value)
    assert sorted(seen) == sorted(measure.id for measure in config.measures)
    for measure in config.measures:
        segments = seen[measure.id]
        assert set(segments) == {"all", *measure.slice_by}, measure.id
        assert segments["all"] == {"all"}, f"{measure.id}: the company row is 'all' / 'all'"
        for dimension in measure.slice_by:
            missing = set(config.segments[dimension]) - segments[dimension]
            assert not missing, f"{measure.id} has no {dimension} rows for declared values {missing}"
            assert "all" not in segments[dimension], f"{measure.id}: 'all' is only the company row"
    # The demo's populations, as its measures.yml slices them.
    dimensions_of = {measure_id: set(segments) for measure_id, segments in seen.items()}
    assert dimensions_of["gross_margin"] == {"all"}
    assert dimensions_of["cs_headcount"] == {"all", "team"}
    assert dimensions_of["voluntary_attrition_rate"] == {"all", "team"}
    assert dimensions_of["accounts_per_csm"] == {"all", "team"}
    assert dimensions_of["support_csat"] == {"all", "team", "region", "customer_segment"}


def test_missing_data_is_a_null_value_not_a_missing_row(built_project: DbtProject) -> None:
    # Net revenue retention needs 12 months of history: the first quarters exist, with null values.
    first_quarter = built_project.query(
        """
        select value from scorecard.measure_values
        where measure_id = 'net_revenue_retention' and period_grain = 'quarter'
            and segment_dimension = 'all' and segment_value = 'all'
        order by period_start
        limit 1
        """
    )
    assert first_quarter == [(None,)]
