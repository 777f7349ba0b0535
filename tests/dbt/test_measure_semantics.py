"""Measure semantics across grains, checked on the built demo warehouse."""

from __future__ import annotations

import pytest

from tests.dbt.helpers import DbtProject

pytestmark = pytest.mark.slow

_QUARTER_VS_MONTHS = """
    with months as (
        select
            quarters.period_start as quarter_start,
            sum(months.numerator) as numerator,
            sum(months.denominator) as denominator,
            avg(months.value) as average_of_monthly_values,
            count(*) as month_count
        from scorecard.measure_values as quarters
        inner join intermediate.int_fiscal_periods as periods
            on periods.period_grain = 'quarter' and periods.period_start = quarters.period_start
        inner join scorecard.measure_values as months
            on months.measure_id = quarters.measure_id
            and months.period_grain = 'month'
            and months.period_start = periods.month_start
            and months.segment_dimension = quarters.segment_dimension
            and months.segment_value = quarters.segment_value
        where quarters.measure_id = ? and quarters.period_grain = 'quarter'
            and quarters.segment_dimension = ? and quarters.segment_value = ?
        group by quarters.period_start
    )
    select
        quarters.period_start,
        quarters.numerator,
        quarters.denominator,
        quarters.value,
        months.numerator,
        months.denominator,
        months.average_of_monthly_values,
        months.month_count
    from scorecard.measure_values as quarters
    inner join months on months.quarter_start = quarters.period_start
    where quarters.measure_id = ? and quarters.period_grain = 'quarter'
        and quarters.segment_dimension = ? and quarters.segment_value = ?
"""


@pytest.mark.parametrize(
    ("measure_id", "segment_dimension", "segment_value"),
    [
        ("support_csat", "all", "all"),
        ("first_contact_resolution_rate", "all", "all"),
        ("ticket_reopen_rate", "team", "cs_enterprise"),
        ("support_csat", "region", "emea"),
        ("onboarding_completion_rate", "all", "all"),
        ("cs_training_completion_rate", "all", "all"),
    ],
)
def test_quarterly_ratio_is_a_ratio_of_summed_months(
    built_project: DbtProject, measure_id: str, segment_dimension: str, segment_value: str
) -> None:
    segment = [segment_dimension, segment_value]
    rows = built_project.query(_QUARTER_VS_MONTHS, [measure_id, *segment, measure_id, *segment])
    full_quarters = [row for row in rows if row[7] == 3]
    assert full_quarters, "the demo range should hold complete fiscal quarters"
    differs_from_average = False
    for _, numerator, denominator, value, month_numerator, month_denominator, average, _ in full_quarters:
        assert numerator == pytest.approx(month_numerator)
        assert denominator == pytest.approx(month_denominator)
        assert value == pytest.approx(month_numerator / month_denominator)
        differs_from_average |= value != pytest.approx(average, abs=1e-12)
    # Otherwise the check could not tell a ratio of sums from an average of ratios.
    assert differs_from_average


def test_stock_quarter_reads_its_last_month(built_project: DbtProject) -> None:
    mismatches = built_project.query(
        """
        select quarters.measure_id, quarters.period_start, quarters.segment_dimension,
            quarters.segment_value, quarters.value, months.value
        from scorecard.measure_values as quarters
        inner join (
            select period_start, max(month_start) as last_month
            from intermediate.int_fiscal_periods where period_grain = 'quarter' group by period_start
        ) as periods on periods.period_start = quarters.period_start
        inner join scorecard.measure_values as months
            on months.measure_id = quarters.measure_id and months.period_grain = 'month'
            and months.period_start = periods.last_month
            and months.segment_dimension = quarters.segment_dimension
            and months.segment_value = quarters.segment_value
        where quarters.period_grain = 'quarter'
            and quarters.measure_id in ('arr', 'active_customers', 'cs_headcount', 'accounts_per_csm')
            and quarters.value is distinct from months.value
        """
    )
    assert mismatches == []


def test_flow_quarter_is_the_sum_of_its_months(built_project: DbtProject) -> None:
    mismatches = built_project.query(
        """
        select quarters.measure_id, quarters.period_start, quarters.segment_dimension, quarters.segment_value
        from scorecard.measure_values as quarters
        inner join intermediate.int_fiscal_periods as periods
            on periods.period_grain = 'quarter' and periods.period_start = quarters.period_start
        inner join scorecard.measure_values as months
            on months.measure_id = quarters.measure_id and months.period_grain = 'month'
            and months.period_start = periods.month_start
            and months.segment_dimension = quarters.segment_dimension
            and months.segment_value = quarters.segment_value
        where quarters.period_grain = 'quarter' and quarters.measure_id in ('expansion_mrr', 'new_customers')
        group by quarters.measure_id, quarters.period_start, quarters.segment_dimension,
            quarters.segment_value, quarters.value
        having abs(quarters.value - sum(months.value)) > 1e-6
        """
    )
    assert mismatches == []


def test_company_level_equals_the_sum_of_each_dimension_for_additive_measures(
    built_project: DbtProject,
) -> None:
    # Long form: each dimension's rows split the same company-wide facts (one dimension per row).
    mismatches = built_project.query(
        """
        select
            company.measure_id, company.period_grain, company.period_start, segments.segment_dimension,
            company.value, sum(segments.value)
        from scorecard.measure_values as company
        inner join scorecard.measure_values as segments
            on segments.measure_id = company.measure_id and segments.period_grain = company.period_grain
            and segments.period_start = company.period_start
            and segments.segment_dimension <> 'all'
        where company.segment_dimension = 'all' and company.segment_value = 'all'
            and company.measure_id in (
                'arr', 'active_customers', 'new_customers', 'expansion_mrr', 'cs_headcount'
            )
        group by
            company.measure_id, company.period_grain, company.period_start, segments.segment_dimension,
            company.value
        having abs(coalesce(company.value, 0) - coalesce(sum(segments.value), 0)) > 1e-6
        """
    )
    assert mismatches == []
    sliced = built_project.query(
        "select distinct measure_id, segment_dimension from scorecard.measure_values "
        "where measure_id in ('arr', 'cs_headcount') and segment_dimension <> 'all'"
    )
    assert sorted(sliced) == [
        ("arr", "customer_segment"),
        ("arr", "region"),
        ("arr", "team"),
        ("cs_headcount", "team"),
    ]


def test_percent_measures_are_fractions(built_project: DbtProject) -> None:
    out_of_range = built_project.query(
        """
        select measure_id, max(value) from scorecard.measure_values
        where measure_id in (
            'logo_churn_rate', 'support_csat', 'first_contact_resolution_rate', 'ticket_reopen_rate',
            'onboarding_completion_rate', 'cs_training_completion_rate', 'voluntary_attrition_rate'
        )
        group by measure_id
        having max(value) > 1 or min(value) < 0
        """
    )
    assert out_of_range == []
