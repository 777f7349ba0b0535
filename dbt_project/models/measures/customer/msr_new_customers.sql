{{ config(meta={'measure_id': 'new_customers'}) }}

-- Flow: accounts whose first subscription started in the period (a reactivated account is not new).
with account_months as (
    select
        account_id,
        month_start,
        team,
        region,
        customer_segment,
        is_new_customer
    from {{ ref('int_account_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'new_customers', 'account_months', 'numerator',
    numerator=scorecard_engine.flow_count_distinct('case when is_new_customer then account_id end'),
    zero_fill=true,
) }}
