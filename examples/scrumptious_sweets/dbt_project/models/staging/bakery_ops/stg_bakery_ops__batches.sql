with source as (
    {{ scorecard_engine.latest_load_per_key(source('bakery_ops', 'batches'), ['batch_id']) | indent(4) }}
),

renamed as (
    select
        cast(batch_id as {{ dbt.type_string() }}) as batch_id,
        cast(location_id as {{ dbt.type_string() }}) as location_id,
        cast(baked_at as {{ dbt.type_timestamp() }}) as baked_at,
        cast(units_baked as {{ dbt.type_bigint() }}) as units_baked,
        cast(units_sold_fresh as {{ dbt.type_bigint() }}) as units_sold_fresh,
        cast(units_discarded as {{ dbt.type_bigint() }}) as units_discarded,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
