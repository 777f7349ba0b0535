with source as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(amount as {{ scorecard_engine.type_double() }}) as amount,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['order_id']) | indent(4) }}
)

select
    order_id,
    ordered_at,
    channel,
    amount,
    _load_id,
    _loaded_at
from deduplicated
