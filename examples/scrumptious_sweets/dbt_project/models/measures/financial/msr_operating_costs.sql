{{ config(meta={'measure_id': 'operating_costs'}) }}

-- Flow: operating costs of every category and location, summed over the months of the period.
with operating_costs as (
    select
        month_start,
        division,
        store,
        amount
    from {{ ref('int_operating_costs_monthly') }}
),

operating_costs_by_period as (
    {{ scorecard_engine.expand_to_periods('operating_costs') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('operating_costs') | indent(8) }},
        {{ scorecard_engine.flow_sum('amount') }} as numerator
    from operating_costs_by_period
    {{ scorecard_engine.segment_group_by('operating_costs') | indent(4) }}
)

{{ scorecard_engine.measure_result('operating_costs', 'aggregated', 'numerator', zero_fill=true) }}
