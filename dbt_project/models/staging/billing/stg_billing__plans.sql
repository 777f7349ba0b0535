with source as (
    {{ scorecard_engine.latest_load_per_key(source('billing', 'plans'), ['plan_id']) | indent(4) }}
),

renamed as (
    select
        cast(plan_id as {{ dbt.type_string() }}) as plan_id,
        cast(plan_name as {{ dbt.type_string() }}) as plan_name,
        cast(tier as {{ dbt.type_string() }}) as tier,
        cast(monthly_price as {{ dbt.type_numeric() }}) as monthly_price,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
