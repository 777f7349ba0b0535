{{ config(meta={'measure_id': 'gross_margin'}) }}

-- Ratio: (invoiced revenue − cost of revenue) ÷ invoiced revenue, both summed over the period.
-- Company level only: cost of revenue is not attributed to accounts. A month missing either
-- source contributes nothing, so the margin is never computed from revenue without its cost.
with monthly as (
    select
        month_start,
        invoiced_revenue - cost_of_revenue as gross_profit,
        case when cost_of_revenue is not null then invoiced_revenue end as invoiced_revenue
    from {{ ref('int_revenue_and_cost_monthly') }}
),

monthly_by_period as (
    {{ scorecard_engine.expand_to_periods('monthly') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('gross_margin') | indent(8) }},
        {{ scorecard_engine.flow_sum('gross_profit') }} as numerator,
        {{ scorecard_engine.flow_sum('invoiced_revenue') }} as denominator
    from monthly_by_period
    {{ scorecard_engine.segment_group_by('gross_margin') | indent(4) }}
)

{{ scorecard_engine.measure_result('gross_margin', 'aggregated', 'ratio') }}
