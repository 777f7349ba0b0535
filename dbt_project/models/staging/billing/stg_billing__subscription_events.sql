with source as (
    select * from {{ source('billing', 'subscription_events') }}
),

renamed as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(plan_id as {{ dbt.type_string() }}) as plan_id,
        lower(trim(cast(event_type as {{ dbt.type_string() }}))) as event_type,
        cast(event_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(mrr_amount as {{ dbt.type_numeric() }}) as mrr_amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['event_id']) | indent(4) }}
)

select
    event_id,
    subscription_id,
    account_id,
    plan_id,
    event_type,
    event_at,
    mrr_amount,
    currency,
    _load_id,
    _loaded_at
from deduplicated
