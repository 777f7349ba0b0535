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
            and months.team = quarters.team
            and months.region = quarters.region
            and months.customer_segment = quarters.customer_segment
        where quarters.measure_id = ? and quarters.period_grain = 'quarter' and quarters.team = ?
            and quarters.region = 'all' and quarters.customer_segment = 'all'
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
    where quarters.measure_id = ? and quarters.period_grain = 'quarter' and quarters.team = ?
        and quarters.region = 'all' and quarters.customer_segment = 'all'
"""


@pytest.mark.parametrize(
    ("measure_id", "team"),
    [
        ("support_csat", "all"),
        ("first_contact_resolution_rate", "all"),
        ("ticket_reopen_rate", "cs_enterprise"),
        ("onboarding_completion_rate", "all"),
        ("cs_training_completion_rate", "all"),
    ],
)
def test_quarterly_ratio_is_a_ratio_of_summed_months(
    built_project: DbtProject, measure_id: str, team: str
) -> None:
    rows = built_project.query(_QUARTER_VS_MONTHS, [measure_id, team, measure_id, team])
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
        select quarters.measure_id, quarters.period_start, quarters.team, quarters.value, months.value
        from scorecard.measure_values as quarters
        inner join (
            select period_start, max(month_start) as last_month
            from intermediate.int_fiscal_periods where period_grain = 'quarter' group by period_start
        ) as periods on periods.period_start = quarters.period_start
        inner join scorecard.measure_values as months
            on months.measure_id = quarters.measure_id and months.period_grain = 'month'
            and months.period_start = periods.last_month
            and months.team = quarters.team and months.region = quarters.region
            and months.customer_segment = quarters.customer_segment
        where quarters.period_grain = 'quarter'
            and quarters.measure_id in ('arr', 'active_customers', 'cs_headcount', 'accounts_per_csm')
            and quarters.value is distinct from months.value
        """
    )
    assert mismatches == []


def test_flow_quarter_is_the_sum_of_its_months(built_project: DbtProject) -> None:
    mismatches = built_project.query(
        """
        select quarters.measure_id, quarters.period_start, quarters.team
        from scorecard.measure_values as quarters
        inner join intermediate.int_fiscal_periods as periods
            on periods.period_grain = 'quarter' and periods.period_start = quarters.period_start
        inner join scorecard.measure_values as months
            on months.measure_id = quarters.measure_id and months.period_grain = 'month'
            and months.period_start = periods.month_start
            and months.team = quarters.team and months.region = quarters.region
            and months.customer_segment = quarters.customer_segment
        where quarters.period_grain = 'quarter' and quarters.measure_id in ('expansion_mrr', 'new_customers')
        group by quarters.measure_id, quarters.period_start, quarters.team, quarters.region,
            quarters.customer_segment, quarters.value
        having abs(quarters.value - sum(months.value)) > 1e-6
        """
    )
    assert mismatches == []


def test_company_level_equals_the_sum_of_teams_for_additive_measures(built_project: DbtProject) -> None:
    mismatches = built_project.query(
        """
        select company.measure_id, company.period_grain, company.period_start, company.value, sum(teams.value)
        from scorecard.measure_values as company
        inner join scorecard.measure_values as teams
            on teams.measure_id = company.measure_id and teams.period_grain = company.period_grain
            and teams.period_start = company.period_start
            and teams.team <> 'all' and teams.region = 'all' and teams.customer_segment = 'all'
        where company.team = 'all' and company.region = 'all' and company.customer_segment = 'all'
            and company.measure_id in (
                'arr', 'active_customers', 'new_customers', 'expansion_mrr', 'cs_headcount'
            )
        group by company.measure_id, company.period_grain, company.period_start, company.value
        having abs(company.value - sum(teams.value)) > 1e-6
        """
    )
    assert mismatches == []


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
