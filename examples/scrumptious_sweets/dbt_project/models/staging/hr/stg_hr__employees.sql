with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'employees'), ['employee_id']) | indent(4) }}
),

renamed as (
    select
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(job_role as {{ dbt.type_string() }}) as job_role,
        cast(hire_date as date) as hire_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
