with source as (
    {{ scorecard_engine.latest_load_per_key(source('finance', 'operating_costs'), ['cost_line_id']) | indent(4) }}
),

renamed as (
    select
        cast(cost_line_id as {{ dbt.type_string() }}) as cost_line_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(posted_on as date) as posted_on,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
