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
)

{{ scorecard_engine.measure_from_grain(
    'repeat_visit_share', 'visits', 'ratio',
    numerator=scorecard_engine.flow_sum('is_repeat_visit'),
    denominator='count(*)',
) }}
