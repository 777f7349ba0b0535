{{ config(meta={'measure_id': 'arr'}) }}

-- Stock: 12 × the MRR of all subscriptions active at the end of the period (the period's last
-- month end; for a quarter, the quarter end).
with account_months as (
    select
        month_start,
        team,
        region,
        customer_segment,
        mrr_at_end
    from {{ ref('int_account_months') }}
),

account_months_by_period as (
    {{ scorecard_engine.expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('arr') | indent(8) }},
        12 * {{ scorecard_engine.stock_at_period_end('mrr_at_end') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from account_months_by_period
    {{ scorecard_engine.segment_group_by('arr') | indent(4) }}
)

{{ scorecard_engine.measure_result('arr', 'aggregated', 'numerator', zero_fill=true) }}
