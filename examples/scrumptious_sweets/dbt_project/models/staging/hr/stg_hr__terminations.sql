with source as (
    select * from {{ source('hr', 'terminations') }}
),

renamed as (
    select
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(termination_date as date) as termination_date,
        cast(termination_reason as {{ dbt.type_string() }}) as termination_reason,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['employee_id']) | indent(4) }}
)

select
    employee_id,
    termination_date,
    termination_reason,
    _load_id,
    _loaded_at
from deduplicated
