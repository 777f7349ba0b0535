with source as (
    {{ scorecard_engine.latest_load_per_key(source('finance', 'cost_of_revenue'), ['month', 'cost_category']) | indent(4) }}
),

renamed as (
    select
        cast(month as date) as cost_month,
        cast(cost_category as {{ dbt.type_string() }}) as cost_category,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
