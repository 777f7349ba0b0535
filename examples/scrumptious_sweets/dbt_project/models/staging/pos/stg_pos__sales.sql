with source as (
    {{ scorecard_engine.latest_load_per_key(source('pos', 'sales'), ['sales_report_id']) | indent(4) }}
),

renamed as (
    select
        cast(sales_report_id as {{ dbt.type_string() }}) as sales_report_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(business_date as date) as business_date,
        cast(transactions as {{ dbt.type_bigint() }}) as transactions,
        cast(net_amount as {{ dbt.type_numeric() }}) as net_amount,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
