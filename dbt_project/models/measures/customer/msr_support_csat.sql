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
)

{{ scorecard_engine.measure_from_grain(
    'support_csat', 'responses', 'ratio',
    numerator=scorecard_engine.flow_sum('is_satisfied'),
    denominator='count(*)',
) }}
