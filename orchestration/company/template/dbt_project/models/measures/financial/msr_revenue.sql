{{ config(meta={'measure_id': 'revenue'}) }}

-- Flow: order amounts summed over the period, by order date; sliced by channel.
with orders as (
    select
        {{ scorecard_engine.month_start('ordered_at') }} as month_start,
        channel,
        amount
    from {{ ref('stg_shop__orders') }}
)

{{ scorecard_engine.measure_from_grain(
    'revenue', 'orders', 'numerator',
    numerator=scorecard_engine.flow_sum('amount'),
    zero_fill=true,
) }}
