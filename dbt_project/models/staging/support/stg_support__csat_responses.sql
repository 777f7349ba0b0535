with source as (
    select * from {{ source('support', 'csat_responses') }}
),

renamed as (
    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(score as {{ dbt.type_bigint() }}) as score,
        _load_id,
        _loaded_at,
        _source_row_number
    from source
),

deduplicated as (
    {{ scorecard_engine.latest_load_per_key('renamed', ['response_id']) | indent(4) }}
)

select
    response_id,
    ticket_id,
    responded_at,
    score,
    _load_id,
    _loaded_at
from deduplicated
