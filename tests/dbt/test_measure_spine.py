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
            count(distinct team || '|' || region || '|' || customer_segment) as segments
        from scorecard.measure_values
        group by measure_id
        """
    )
    assert len(rows) == 19
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


def test_each_measure_covers_every_segment_of_its_population(built_project: DbtProject) -> None:
    rows = built_project.query(
        """
        with measure_segments as (
            select distinct measure_id, team, region, customer_segment from scorecard.measure_values
        ),
        matches as (
            select measure_segments.measure_id, dimensions.segment_dimension
            from measure_segments
            inner join intermediate.int_scorecard_segments as dimensions
                using (team, region, customer_segment)
            group by measure_segments.measure_id, dimensions.segment_dimension
            having count(*) = (
                select count(*) from measure_segments as m
                where m.measure_id = measure_segments.measure_id
            )
                and count(*) = (
                    select count(*) from intermediate.int_scorecard_segments as s
                    where s.segment_dimension = dimensions.segment_dimension
                )
        )
        select measure_id, min(segment_dimension) from matches group by measure_id
        """
    )
    dimension_of = dict(rows)
    assert len(dimension_of) == 19, "some measure's segments are not exactly one population's segments"
    assert dimension_of["gross_margin"] == "company"
    assert dimension_of["cs_headcount"] == "cs_employee"
    assert dimension_of["voluntary_attrition_rate"] == "employee"
    assert dimension_of["support_csat"] == "account"
    assert dimension_of["accounts_per_csm"] == "cs_employee"


def test_missing_data_is_a_null_value_not_a_missing_row(built_project: DbtProject) -> None:
    # Net revenue retention needs 12 months of history: the first quarters exist, with null values.
    first_quarter = built_project.query(
        """
        select value from scorecard.measure_values
        where measure_id = 'net_revenue_retention' and period_grain = 'quarter'
            and team = 'all' and region = 'all' and customer_segment = 'all'
        order by period_start
        limit 1
        """
    )
    assert first_quarter == [(None,)]
