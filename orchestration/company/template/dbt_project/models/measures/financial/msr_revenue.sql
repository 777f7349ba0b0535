{{ config(meta={'measure_id': 'revenue'}) }}

-- Flow: order amounts summed over the period, by order date; sliced by channel.
with orders as (
    select
        {{ scorecard_engine.month_start('ordered_at') }} as month_start,
        channel,
        amount
    from {{ ref('stg_shop__orders') }}
),

orders_by_period as (
    {{ scorecard_engine.expand_to_periods('orders') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('revenue') | indent(8) }},
        {{ scorecard_engine.flow_sum('amount') }} as numerator
    from orders_by_period
    {{ scorecard_engine.segment_group_by('revenue') | indent(4) }}
)

{{ scorecard_engine.measure_result('revenue', 'aggregated', 'numerator', zero_fill=true) }}
