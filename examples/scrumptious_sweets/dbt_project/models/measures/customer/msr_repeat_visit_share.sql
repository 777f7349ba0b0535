{{ config(meta={'measure_id': 'repeat_visit_share'}) }}

-- Ratio: loyalty visits whose card had visited in the 90 days before ÷ all loyalty visits in the
-- period, both counted over the whole period.
with visits as (
    select
        month_start,
        division,
        store,
        case when is_repeat_visit then 1 else 0 end as is_repeat_visit
    from {{ ref('int_customer_visits') }}
),

visits_by_period as (
    {{ scorecard_engine.expand_to_periods('visits') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('repeat_visit_share') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_repeat_visit') }} as numerator,
        count(*) as denominator
    from visits_by_period
    {{ scorecard_engine.segment_group_by('repeat_visit_share') | indent(4) }}
)

{{ scorecard_engine.measure_result('repeat_visit_share', 'aggregated', 'ratio') }}
