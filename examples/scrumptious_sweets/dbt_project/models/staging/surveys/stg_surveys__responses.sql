with source as (
    {{ scorecard_engine.latest_load_per_key(source('surveys', 'responses'), ['response_id']) | indent(4) }}
),

renamed as (
    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(answered_at as {{ dbt.type_timestamp() }}) as answered_at,
        cast(satisfied as {{ dbt.type_boolean() }}) as is_satisfied,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
