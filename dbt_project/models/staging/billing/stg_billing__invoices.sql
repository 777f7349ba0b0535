with source as (
    {{ scorecard_engine.latest_load_per_key(source('billing', 'invoices'), ['invoice_id']) | indent(4) }}
),

renamed as (
    select
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(issued_at as date) as issued_at,
        cast(service_period_start as date) as service_period_start,
        cast(service_period_end as date) as service_period_end,
        cast(total_amount as {{ dbt.type_numeric() }}) as total_amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
