with source as (
    {{ scorecard_engine.latest_load_per_key(source('billing', 'subscription_events'), ['event_id']) | indent(4) }}
),

renamed as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(plan_id as {{ dbt.type_string() }}) as plan_id,
        lower(trim(cast(event_type as {{ dbt.type_string() }}))) as event_type,
        cast(event_at as {{ dbt.type_timestamp() }}) as event_at,
        cast(mrr_amount as {{ dbt.type_numeric() }}) as mrr_amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
