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
),

responses_by_period as (
    {{ scorecard_engine.expand_to_periods('responses') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('customer_satisfaction') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_satisfied') }} as numerator,
        count(*) as denominator
    from responses_by_period
    {{ scorecard_engine.segment_group_by('customer_satisfaction') | indent(4) }}
)

{{ scorecard_engine.measure_result('customer_satisfaction', 'aggregated', 'ratio') }}
