with source as (
    {{ scorecard_engine.latest_load_per_key(source('billing', 'invoice_lines'), ['invoice_line_id']) | indent(4) }}
),

renamed as (
    select
        cast(invoice_line_id as {{ dbt.type_string() }}) as invoice_line_id,
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        cast(issued_at as date) as issued_at,
        lower(trim(cast(line_type as {{ dbt.type_string() }}))) as line_type,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(quantity as {{ dbt.type_bigint() }}) as quantity,
        cast(unit_amount as {{ dbt.type_numeric() }}) as unit_amount,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
