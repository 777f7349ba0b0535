with source as (
    select * from {{ source('hr', 'employees') }}
),

renamed as (
    select
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(full_name as {{ dbt.type_string() }}) as full_name,
        cast(job_title as {{ dbt.type_string() }}) as job_title,
        cast(hire_date as date) as hire_date,
        cast(termination_date as date) as termination_date,
        lower(trim(cast(termination_reason as {{ dbt.type_string() }}))) as termination_reason,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
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
    full_name,
    job_title,
    hire_date,
    termination_date,
    termination_reason,
    updated_at,
    _load_id,
    _loaded_at
from deduplicated
