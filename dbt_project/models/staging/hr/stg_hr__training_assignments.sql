with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'training_assignments'), ['training_assignment_id']) | indent(4) }}
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
        _loaded_at
    from source
)

select * from renamed
