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
)

{{ scorecard_engine.measure_from_grain(
    'onboarding_completion_rate', 'accounts', 'ratio',
    numerator=scorecard_engine.flow_sum('is_onboarded'),
    denominator='count(*)',
) }}
