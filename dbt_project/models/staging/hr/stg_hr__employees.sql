with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'employees'), ['employee_id']) | indent(4) }}
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
        _loaded_at
    from source
)

select * from renamed
