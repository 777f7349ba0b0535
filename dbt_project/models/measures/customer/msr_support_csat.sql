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
    {{ scorecard_engine.expand_to_periods('responses') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('support_csat') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_satisfied') }} as numerator,
        count(*) as denominator
    from responses_by_period
    {{ scorecard_engine.segment_group_by('support_csat') | indent(4) }}
)

{{ scorecard_engine.measure_result('support_csat', 'aggregated', 'ratio') }}
