{{ config(meta={'measure_id': 'net_revenue_retention'}) }}

-- Ratio: MRR at the period end from accounts that had MRR 12 months before the period end ÷ those
-- accounts' MRR then. Both parts are stocks read at the period's last month; accounts acquired
-- since are excluded, churned ones count with 0.
with account_months as (
    select
        month_start,
        team,
        region,
        customer_segment,
        case when mrr_at_end_12_months_earlier > 0 then mrr_at_end else 0 end as retained_mrr,
        case when mrr_at_end_12_months_earlier > 0 then mrr_at_end_12_months_earlier else 0 end
            as cohort_mrr_12_months_earlier
    from {{ ref('int_account_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'net_revenue_retention', 'account_months', 'ratio',
    numerator=scorecard_engine.stock_at_period_end('retained_mrr'),
    denominator=scorecard_engine.stock_at_period_end('cohort_mrr_12_months_earlier'),
) }}
