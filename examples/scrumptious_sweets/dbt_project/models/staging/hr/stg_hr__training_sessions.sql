with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'training_sessions'), ['attendance_id']) | indent(4) }}
),

renamed as (
    select
        cast(attendance_id as {{ dbt.type_string() }}) as attendance_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(course as {{ dbt.type_string() }}) as course,
        cast(attended_on as date) as attended_on,
        cast(hours as {{ scorecard_engine.type_double() }}) as training_hours,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
