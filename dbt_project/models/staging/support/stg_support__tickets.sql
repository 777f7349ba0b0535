with source as (
    {{ scorecard_engine.latest_load_per_key(source('support', 'tickets'), ['ticket_id']) | indent(4) }}
),

renamed as (
    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(priority as {{ dbt.type_string() }}) as priority,
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(first_response_at as {{ dbt.type_timestamp() }}) as first_response_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(contacts_to_resolution as {{ dbt.type_bigint() }}) as contacts_to_resolution,
        cast(reopened as {{ dbt.type_boolean() }}) as is_reopened,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
