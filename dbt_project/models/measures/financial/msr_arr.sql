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
)

{{ scorecard_engine.measure_from_grain(
    'arr', 'account_months', 'numerator',
    numerator='12 * ' ~ scorecard_engine.stock_at_period_end('mrr_at_end'),
    zero_fill=true,
) }}
