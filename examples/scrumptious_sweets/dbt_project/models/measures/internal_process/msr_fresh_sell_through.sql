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
)

{{ scorecard_engine.measure_from_grain(
    'fresh_sell_through', 'production', 'ratio',
    numerator=scorecard_engine.flow_sum('units_sold_fresh'),
    denominator=scorecard_engine.flow_sum('units_baked'),
) }}
