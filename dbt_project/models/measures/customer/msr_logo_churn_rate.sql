{{ config(meta={'measure_id': 'logo_churn_rate'}) }}

-- Ratio over the period-start cohort: accounts active at the start of the period that cancelled
-- their last active subscription during it (counted once, even if they reactivated and churned
-- again) ÷ accounts active at the start of the period (a stock, read at the period's first month:
-- not a sum of monthly openings). An account that became active after the period started is not in
-- the cohort, so its churn in the same period is not counted: the numerator is a subset of the
-- denominator and the rate never exceeds 1, at any grain.
with account_months as (
    select
        account_id,
        month_start,
        team,
        region,
        customer_segment,
        has_churned,
        case when is_active_at_start then 1 else 0 end as is_active_at_start
    from {{ ref('int_account_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'logo_churn_rate', 'account_months', 'ratio',
    period_columns={
        'is_in_opening_cohort': scorecard_engine.member_at_period_start('is_active_at_start', 'account_id'),
    },
    numerator=scorecard_engine.flow_count_distinct(
        'case when has_churned and is_in_opening_cohort = 1 then account_id end'
    ),
    denominator=scorecard_engine.stock_at_period_start('is_active_at_start'),
) }}
