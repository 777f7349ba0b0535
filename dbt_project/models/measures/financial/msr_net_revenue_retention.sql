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
),

account_months_by_period as (
    {{ scorecard_engine.expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('net_revenue_retention') | indent(8) }},
        {{ scorecard_engine.stock_at_period_end('retained_mrr') }} as numerator,
        {{ scorecard_engine.stock_at_period_end('cohort_mrr_12_months_earlier') }} as denominator
    from account_months_by_period
    {{ scorecard_engine.segment_group_by('net_revenue_retention') | indent(4) }}
)

{{ scorecard_engine.measure_result('net_revenue_retention', 'aggregated', 'ratio') }}
