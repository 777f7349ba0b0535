with source as (
    select * from {{ source('product', 'onboarding_events') }}
),

renamed as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        lower(trim(cast(milestone as {{ dbt.type_string() }}))) as milestone,
        {{ scorecard_engine.to_utc_timestamp('occurred_at') }} as occurred_at,
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
    account_id,
    user_id,
    milestone,
    occurred_at,
    _load_id,
    _loaded_at
from deduplicated
