with source as (
    {{ scorecard_engine.latest_load_per_key(source('crm', 'accounts'), ['account_id']) | indent(4) }}
),

renamed as (
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        lower(trim(cast(segment as {{ dbt.type_string() }}))) as customer_segment,
        lower(trim(cast(region as {{ dbt.type_string() }}))) as region,
        cast(cs_owner_id as {{ dbt.type_string() }}) as cs_owner_id,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
