{{ config(meta={'measure_id': 'operating_costs'}) }}

-- Flow: operating costs of every category and location, summed over the months of the period.
with operating_costs as (
    select
        month_start,
        division,
        store,
        amount
    from {{ ref('int_operating_costs_monthly') }}
)

{{ scorecard_engine.measure_from_grain(
    'operating_costs', 'operating_costs', 'numerator',
    numerator=scorecard_engine.flow_sum('amount'),
    zero_fill=true,
) }}
