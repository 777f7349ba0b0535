{{ config(meta={'measure_id': 'fresh_sell_through'}) }}

-- Ratio: units sold on the day they were baked ÷ units baked, both summed over the period.
with production as (
    select
        month_start,
        division,
        store,
        units_sold_fresh,
        units_baked
    from {{ ref('int_production_monthly') }}
),

production_by_period as (
    {{ scorecard_engine.expand_to_periods('production') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('fresh_sell_through') | indent(8) }},
        {{ scorecard_engine.flow_sum('units_sold_fresh') }} as numerator,
        {{ scorecard_engine.flow_sum('units_baked') }} as denominator
    from production_by_period
    {{ scorecard_engine.segment_group_by('fresh_sell_through') | indent(4) }}
)

{{ scorecard_engine.measure_result('fresh_sell_through', 'aggregated', 'ratio') }}
