{#
    Successful publishes, as logged by the publish step. On a warehouse where nothing was ever
    published the table does not exist: this view then reads as empty and dbt logs a warning.
#}
{%- set log_relation = source('publish', 'publications') -%}
{%- set log_exists = true -%}
{%- if execute -%}
    {%- set log_exists = adapter.get_relation(
        database=log_relation.database,
        schema=log_relation.schema,
        identifier=log_relation.identifier,
    ) is not none -%}
    {%- if not log_exists -%}
        {%- do exceptions.warn(
            "publish.publications does not exist in this warehouse: nothing has been published yet, "
            ~ "so no value can have been restated."
        ) -%}
    {%- endif -%}
{%- endif -%}

with source as (
    {%- if log_exists %}
        select
            run_id,
            run_seq,
            published_at
        from {{ log_relation }}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as run_id,
            cast(null as {{ dbt.type_bigint() }}) as run_seq,
            cast(null as {{ dbt.type_timestamp() }}) as published_at
        where 1 = 0
    {%- endif %}
),

renamed as (
    select
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(run_seq as {{ dbt.type_bigint() }}) as run_seq,
        cast(published_at as {{ dbt.type_timestamp() }}) as published_at
    from source
)

select * from renamed
