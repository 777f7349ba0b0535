with source as (
    select * from {{ source('hr', 'training_assignments') }}
),

renamed as (
    select
        cast(training_assignment_id as {{ dbt.type_string() }}) as training_assignment_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(course_id as {{ dbt.type_string() }}) as course_id,
        cast(course_name as {{ dbt.type_string() }}) as course_name,
        cast(assigned_at as date) as assigned_at,
        cast(due_at as date) as due_at,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['training_assignment_id']) | indent(4) }}
)

select
    training_assignment_id,
    employee_id,
    course_id,
    course_name,
    assigned_at,
    due_at,
    _load_id,
    _loaded_at
from deduplicated
