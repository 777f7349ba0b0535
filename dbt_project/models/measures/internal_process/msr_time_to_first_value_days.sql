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
)

{{ scorecard_engine.measure_from_grain(
    'time_to_first_value_days', 'first_values', 'numerator',
    numerator=scorecard_engine.distribution_median('days_to_first_value'),
) }}
