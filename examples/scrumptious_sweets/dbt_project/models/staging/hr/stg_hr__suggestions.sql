with source as (
    select * from {{ source('hr', 'suggestions') }}
),

renamed as (
    select
        cast(suggestion_id as {{ dbt.type_string() }}) as suggestion_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        cast(adopted as {{ dbt.type_boolean() }}) as is_adopted,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['suggestion_id']) | indent(4) }}
)

select
    suggestion_id,
    employee_id,
    submitted_at,
    is_adopted,
    _load_id,
    _loaded_at
from deduplicated
