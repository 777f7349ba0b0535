with source as (
    {{ scorecard_engine.latest_load_per_key(source('support', 'csat_responses'), ['response_id']) | indent(4) }}
),

renamed as (
    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(score as {{ dbt.type_bigint() }}) as score,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
