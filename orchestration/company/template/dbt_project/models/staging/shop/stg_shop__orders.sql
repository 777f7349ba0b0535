with source as (
    {{ scorecard_engine.latest_load_per_key(source('shop', 'orders'), ['order_id']) | indent(4) }}
),

renamed as (
    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(amount as {{ scorecard_engine.type_double() }}) as amount,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
