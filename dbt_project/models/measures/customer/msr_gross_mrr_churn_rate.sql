{{ config(meta={'measure_id': 'gross_mrr_churn_rate'}) }}

-- Ratio over the period-start cohort: MRR lost to cancellations and downgrades during the period
-- (a flow) by accounts active at the start of the period ÷ MRR at the start of the period (a stock,
-- read at the period's first month). MRR lost by an account that became active after the period
-- started is not counted: it was never part of the opening MRR.
with account_months as (
    select
        account_id,
        month_start,
        team,
        region,
        customer_segment,
        churned_mrr + contraction_mrr as lost_mrr,
        mrr_at_start,
        case when is_active_at_start then 1 else 0 end as is_active_at_start
    from {{ ref('int_account_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'gross_mrr_churn_rate', 'account_months', 'ratio',
    period_columns={
        'is_in_opening_cohort': scorecard_engine.member_at_period_start('is_active_at_start', 'account_id'),
    },
    numerator=scorecard_engine.flow_sum('lost_mrr * is_in_opening_cohort'),
    denominator=scorecard_engine.stock_at_period_start('mrr_at_start'),
) }}
