with source as (
    {{ scorecard_engine.latest_load_per_key(source('product', 'first_value_events'), ['event_id']) | indent(4) }}
),

renamed as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(value_event as {{ dbt.type_string() }}) as value_event,
        {{ scorecard_engine.to_utc_timestamp('occurred_at') }} as occurred_at,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
