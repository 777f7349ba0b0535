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
)

{{ scorecard_engine.measure_from_grain(
    'median_queue_minutes', 'visits', 'numerator',
    numerator=scorecard_engine.distribution_median('queue_minutes'),
) }}
