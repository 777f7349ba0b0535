{{ config(meta={'measure_id': 'time_to_first_value_days'}) }}

-- Distribution: median days from account creation to its first value event, over the accounts
-- whose first value event fell in the period (a quarter's median is over the quarter's accounts,
-- not a median of monthly medians).
with first_values as (
    select
        first_value_month as month_start,
        team,
        region,
        customer_segment,
        days_to_first_value
    from {{ ref('int_account_first_value') }}
),

first_values_by_period as (
    {{ scorecard_engine.expand_to_periods('first_values') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('time_to_first_value_days') | indent(8) }},
        {{ scorecard_engine.distribution_median('days_to_first_value') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from first_values_by_period
    {{ scorecard_engine.segment_group_by('time_to_first_value_days') | indent(4) }}
)

{{ scorecard_engine.measure_result('time_to_first_value_days', 'aggregated', 'numerator') }}
