{{ config(meta={'measure_id': 'support_csat'}) }}

-- Ratio: CSAT responses scoring 4 or 5 ÷ all responses received in the period.
with responses as (
    select
        month_start,
        team,
        region,
        customer_segment,
        case when is_satisfied then 1 else 0 end as is_satisfied
    from {{ ref('int_csat_responses') }}
),

responses_by_period as (
    {{ expand_to_periods('responses') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ flow_sum('is_satisfied') }} as numerator,
        count(*) as denominator
    from responses_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('support_csat', 'aggregated', 'account', 'ratio') }}
