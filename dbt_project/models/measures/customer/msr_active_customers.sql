{{ config(meta={'measure_id': 'active_customers'}) }}

-- Stock: accounts with at least one active subscription at the end of the period.
with account_months as (
    select
        month_start,
        team,
        region,
        customer_segment,
        case when is_active_at_end then 1 else 0 end as is_active_at_end
    from {{ ref('int_account_months') }}
),

account_months_by_period as (
    {{ scorecard_engine.expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('active_customers') | indent(8) }},
        {{ scorecard_engine.stock_at_period_end('is_active_at_end') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from account_months_by_period
    {{ scorecard_engine.segment_group_by('active_customers') | indent(4) }}
)

{{ scorecard_engine.measure_result('active_customers', 'aggregated', 'numerator', zero_fill=true) }}
