with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'suggestions'), ['suggestion_id']) | indent(4) }}
),

renamed as (
    select
        cast(suggestion_id as {{ dbt.type_string() }}) as suggestion_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        cast(adopted as {{ dbt.type_boolean() }}) as is_adopted,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
