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
    {{ expand_to_periods('tickets') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ distribution_median('hours_to_first_response') }} as numerator,
        cast(null as {{ type_double() }}) as denominator
    from tickets_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('median_first_response_hours', 'aggregated', 'account', 'numerator') }}
