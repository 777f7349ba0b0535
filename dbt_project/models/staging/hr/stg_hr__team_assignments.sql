with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'team_assignments'), ['assignment_id']) | indent(4) }}
),

renamed as (
    select
        cast(assignment_id as {{ dbt.type_string() }}) as assignment_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        lower(trim(cast(department as {{ dbt.type_string() }}))) as department,
        lower(trim(cast(team as {{ dbt.type_string() }}))) as team,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
