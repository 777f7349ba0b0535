{{ config(meta={'measure_id': 'median_queue_minutes'}) }}

-- Distribution: the median of the queue minutes of every loyalty visit in the period (a quarter's
-- median is over all its visits, never a median of monthly medians).
with visits as (
    select
        month_start,
        division,
        store,
        queue_minutes
    from {{ ref('int_customer_visits') }}
    where queue_minutes is not null
),

visits_by_period as (
    {{ scorecard_engine.expand_to_periods('visits') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('median_queue_minutes') | indent(8) }},
        {{ scorecard_engine.distribution_median('queue_minutes') }} as numerator
    from visits_by_period
    {{ scorecard_engine.segment_group_by('median_queue_minutes') | indent(4) }}
)

{{ scorecard_engine.measure_result('median_queue_minutes', 'aggregated', 'numerator') }}
