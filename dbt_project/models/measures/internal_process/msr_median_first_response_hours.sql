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
),

tickets_by_period as (
    {{ scorecard_engine.expand_to_periods('tickets') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('median_first_response_hours') | indent(8) }},
        {{ scorecard_engine.distribution_median('hours_to_first_response') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from tickets_by_period
    {{ scorecard_engine.segment_group_by('median_first_response_hours') | indent(4) }}
)

{{ scorecard_engine.measure_result('median_first_response_hours', 'aggregated', 'numerator') }}
