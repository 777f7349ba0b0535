with source as (
    {{ scorecard_engine.latest_load_per_key(source('finance', 'locations'), ['location_id']) | indent(4) }}
),

renamed as (
    select
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(location_name as {{ dbt.type_string() }}) as location_name,
        cast(location_type as {{ dbt.type_string() }}) as location_type,
        cast(division as {{ dbt.type_string() }}) as division,
        cast(opened_on as date) as opened_on,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
