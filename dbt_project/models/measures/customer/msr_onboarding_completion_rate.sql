{{ config(meta={'measure_id': 'onboarding_completion_rate'}) }}

-- Ratio: accounts created in the period that reached all four onboarding milestones within 30
-- days of creation ÷ accounts created in the period.
with accounts as (
    select
        created_month as month_start,
        team,
        region,
        customer_segment,
        case when is_onboarded_within_30_days then 1 else 0 end as is_onboarded
    from {{ ref('int_account_onboarding') }}
),

accounts_by_period as (
    {{ expand_to_periods('accounts') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ flow_sum('is_onboarded') }} as numerator,
        count(*) as denominator
    from accounts_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('onboarding_completion_rate', 'aggregated', 'account', 'ratio') }}
