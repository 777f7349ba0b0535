{{ config(meta={'measure_id': 'revenue'}) }}

-- Flow: net sales of every location, summed over the months of the period.
with sales as (
    select
        month_start,
        division,
        store,
        net_amount
    from {{ ref('int_sales_monthly') }}
),

sales_by_period as (
    {{ scorecard_engine.expand_to_periods('sales') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('revenue') | indent(8) }},
        {{ scorecard_engine.flow_sum('net_amount') }} as numerator
    from sales_by_period
    {{ scorecard_engine.segment_group_by('revenue') | indent(4) }}
)

{{ scorecard_engine.measure_result('revenue', 'aggregated', 'numerator', zero_fill=true) }}
