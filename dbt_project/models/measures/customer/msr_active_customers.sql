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
)

{{ scorecard_engine.measure_from_grain(
    'active_customers', 'account_months', 'numerator',
    numerator=scorecard_engine.stock_at_period_end('is_active_at_end'),
    zero_fill=true,
) }}
