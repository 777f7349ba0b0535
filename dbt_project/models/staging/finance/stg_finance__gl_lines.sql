with source as (
    {{ scorecard_engine.latest_load_per_key(source('finance', 'gl_lines'), ['gl_line_id']) | indent(4) }}
),

renamed as (
    select
        cast(gl_line_id as {{ dbt.type_string() }}) as gl_line_id,
        cast(posted_at as date) as posted_at,
        cast(account_code as {{ dbt.type_string() }}) as account_code,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(cost_center as {{ dbt.type_string() }}) as cost_center,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
