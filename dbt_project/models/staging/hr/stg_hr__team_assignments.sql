with source as (
    select * from {{ source('hr', 'team_assignments') }}
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
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['assignment_id']) | indent(4) }}
)

select
    assignment_id,
    employee_id,
    department,
    team,
    valid_from,
    valid_to,
    _load_id,
    _loaded_at
from deduplicated
