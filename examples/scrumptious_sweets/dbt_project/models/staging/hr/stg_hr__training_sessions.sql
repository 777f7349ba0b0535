with source as (
    select * from {{ source('hr', 'training_sessions') }}
),

renamed as (
    select
        cast(attendance_id as {{ dbt.type_string() }}) as attendance_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(course as {{ dbt.type_string() }}) as course,
        cast(attended_on as date) as attended_on,
        cast(hours as {{ scorecard_engine.type_double() }}) as training_hours,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['attendance_id']) | indent(4) }}
)

select
    attendance_id,
    employee_id,
    course,
    attended_on,
    training_hours,
    _load_id,
    _loaded_at
from deduplicated
