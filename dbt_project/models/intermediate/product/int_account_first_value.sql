-- The first value event of each account that has one (in UTC) and the days it took from account
-- creation, in fractional days (elapsed seconds / 86 400).
with first_values as (
    select
        account_id,
        min(occurred_at) as first_value_at
    from {{ ref('stg_product__first_value_events') }}
    group by account_id
),

accounts as (
    select * from {{ ref('int_accounts') }}
)

select
    first_values.account_id,
    accounts.created_at,
    first_values.first_value_at,
    {{ scorecard_engine.month_start('first_values.first_value_at') }} as first_value_month,
    cast({{ dbt.datediff('accounts.created_at', 'first_values.first_value_at', 'second') }} as {{ scorecard_engine.type_double() }})
    / 86400.0 as days_to_first_value,
    coalesce(accounts.team, 'unassigned') as team,
    coalesce(accounts.region, 'unknown') as region,
    coalesce(accounts.customer_segment, 'unknown') as customer_segment
from first_values
left join accounts
    on first_values.account_id = accounts.account_id
