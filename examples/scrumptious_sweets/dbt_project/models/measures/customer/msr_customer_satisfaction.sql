{{ config(meta={'measure_id': 'customer_satisfaction'}) }}

-- Ratio: surveys answered "satisfied" ÷ surveys answered in the period, both counted over the
-- whole period, so a quarter is never an average of monthly shares.
with responses as (
    select
        month_start,
        division,
        store,
        case when is_satisfied then 1 else 0 end as is_satisfied
    from {{ ref('int_survey_responses') }}
)

{{ scorecard_engine.measure_from_grain(
    'customer_satisfaction', 'responses', 'ratio',
    numerator=scorecard_engine.flow_sum('is_satisfied'),
    denominator='count(*)',
) }}
