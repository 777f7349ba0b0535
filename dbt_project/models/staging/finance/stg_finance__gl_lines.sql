with source as (
    select * from {{ source('finance', 'gl_lines') }}
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
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['gl_line_id']) | indent(4) }}
)

select
    gl_line_id,
    posted_at,
    account_code,
    account_name,
    cost_center,
    amount,
    currency,
    _load_id,
    _loaded_at
from deduplicated
