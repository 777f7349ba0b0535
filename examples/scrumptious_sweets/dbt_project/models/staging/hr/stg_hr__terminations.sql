with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'terminations'), ['employee_id']) | indent(4) }}
),

renamed as (
    select
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(termination_date as date) as termination_date,
        cast(termination_reason as {{ dbt.type_string() }}) as termination_reason,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
