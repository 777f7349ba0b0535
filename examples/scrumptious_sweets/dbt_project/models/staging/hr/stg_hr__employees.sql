with source as (
    select * from {{ source('hr', 'employees') }}
),

renamed as (
    select
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(job_role as {{ dbt.type_string() }}) as job_role,
        cast(hire_date as date) as hire_date,
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
    location_id,
    job_role,
    hire_date,
    _load_id,
    _loaded_at
from deduplicated
