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
    {{ expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        12 * {{ stock_at_period_end('mrr_at_end') }} as numerator,
        cast(null as {{ type_double() }}) as denominator
    from account_months_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('arr', 'aggregated', 'account', 'numerator', zero_fill=true) }}
