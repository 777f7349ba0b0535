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
)

{{ scorecard_engine.measure_from_grain(
    'gross_margin', 'monthly', 'ratio',
    numerator=scorecard_engine.flow_sum('gross_profit'),
    denominator=scorecard_engine.flow_sum('invoiced_revenue'),
) }}
