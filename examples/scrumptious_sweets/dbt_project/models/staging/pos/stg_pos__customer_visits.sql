with source as (
    {{ scorecard_engine.latest_load_per_key(source('pos', 'customer_visits'), ['visit_id']) | indent(4) }}
),

renamed as (
    select
        cast(visit_id as {{ dbt.type_string() }}) as visit_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(loyalty_id as {{ dbt.type_string() }}) as loyalty_id,
        cast(visited_at as {{ dbt.type_timestamp() }}) as visited_at,
        cast(queue_minutes as {{ scorecard_engine.type_double() }}) as queue_minutes,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
