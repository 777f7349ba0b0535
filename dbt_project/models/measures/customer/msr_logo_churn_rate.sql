{{ config(meta={'measure_id': 'logo_churn_rate'}) }}

-- Ratio: accounts that cancelled their last active subscription during the period (counted once,
-- even if they reactivated and churned again) ÷ accounts active at the start of the period (a
-- stock, read at the period's first month: not a sum of monthly openings).
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
),

account_months_by_period as (
    {{ expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ flow_count_distinct('case when has_churned then account_id end') }} as numerator,
        {{ stock_at_period_start('is_active_at_start') }} as denominator
    from account_months_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('logo_churn_rate', 'aggregated', 'account', 'ratio') }}
