with source as (
    select * from {{ source('finance', 'operating_costs') }}
),

renamed as (
    select
        cast(cost_line_id as {{ dbt.type_string() }}) as cost_line_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(posted_on as date) as posted_on,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['cost_line_id']) | indent(4) }}
)

select
    cost_line_id,
    location_id,
    posted_on,
    category,
    amount,
    _load_id,
    _loaded_at
from deduplicated
