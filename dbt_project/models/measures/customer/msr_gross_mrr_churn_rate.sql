{{ config(meta={'measure_id': 'gross_mrr_churn_rate'}) }}

-- Ratio: MRR lost to cancellations and downgrades during the period (a flow) ÷ MRR at the start
-- of the period (a stock, read at the period's first month).
with account_months as (
    select
        month_start,
        team,
        region,
        customer_segment,
        churned_mrr + contraction_mrr as lost_mrr,
        mrr_at_start
    from {{ ref('int_account_months') }}
),

account_months_by_period as (
    {{ expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ flow_sum('lost_mrr') }} as numerator,
        {{ stock_at_period_start('mrr_at_start') }} as denominator
    from account_months_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('gross_mrr_churn_rate', 'aggregated', 'account', 'ratio') }}
