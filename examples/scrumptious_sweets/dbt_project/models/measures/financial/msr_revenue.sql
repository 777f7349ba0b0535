{{ config(meta={'measure_id': 'revenue'}) }}

-- Flow: net sales of every location, summed over the months of the period.
with sales as (
    select
        month_start,
        division,
        store,
        net_amount
    from {{ ref('int_sales_monthly') }}
)

{{ scorecard_engine.measure_from_grain(
    'revenue', 'sales', 'numerator',
    numerator=scorecard_engine.flow_sum('net_amount'),
    zero_fill=true,
) }}
