{#
    Successful publishes, as logged by the publish step. On a warehouse where nothing was ever
    published the table does not exist: this view then reads as empty and dbt logs a warning
    (optional_source).
#}
with source as (
    {{ scorecard_engine.optional_source(
        'publish', 'publications',
        "publish.publications does not exist in this warehouse: nothing has been published yet, "
        ~ "so no value can have been restated."
    ) | indent(4) }}
),

renamed as (
    select
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(run_seq as {{ dbt.type_bigint() }}) as run_seq,
        cast(published_at as {{ dbt.type_timestamp() }}) as published_at
    from source
)

select * from renamed
