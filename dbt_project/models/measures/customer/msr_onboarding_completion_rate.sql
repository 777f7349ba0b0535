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
    {{ scorecard_engine.expand_to_periods('accounts') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('onboarding_completion_rate') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_onboarded') }} as numerator,
        count(*) as denominator
    from accounts_by_period
    {{ scorecard_engine.segment_group_by('onboarding_completion_rate') | indent(4) }}
)

{{ scorecard_engine.measure_result('onboarding_completion_rate', 'aggregated', 'ratio') }}
