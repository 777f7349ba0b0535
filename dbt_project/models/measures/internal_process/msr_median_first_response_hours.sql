{{ config(meta={'measure_id': 'median_first_response_hours'}) }}

-- Distribution: median hours from a ticket being opened to the first agent response, over the
-- tickets opened in the period that have had a response.
with tickets as (
    select
        opened_month as month_start,
        team,
        region,
        customer_segment,
        hours_to_first_response
    from {{ ref('int_tickets_resolution') }}
    where first_response_at is not null
)

{{ scorecard_engine.measure_from_grain(
    'median_first_response_hours', 'tickets', 'numerator',
    numerator=scorecard_engine.distribution_median('hours_to_first_response'),
) }}
