{#
    What the quality gates flagged, as written to quality.source_flags before dbt runs: one row per
    failed check on a source table, for one month or (period_start null) for every period.

    On a warehouse where the gates never ran the table does not exist: this view then reads as
    empty (nothing flagged) and dbt logs a warning, so the scorecard still builds rather than the
    whole project failing on a missing upstream table.
#}
{%- set flags_relation = source('quality', 'source_flags') -%}
{%- set flags_exist = true -%}
{%- if execute -%}
    {%- set flags_exist = adapter.get_relation(
        database=flags_relation.database,
        schema=flags_relation.schema,
        identifier=flags_relation.identifier,
    ) is not none -%}
    {%- if not flags_exist -%}
        {%- do exceptions.warn(
            "quality.source_flags does not exist in this warehouse, so no measure is marked untrusted. "
            ~ "Run the quality gates (scorecard run) before dbt to create it."
        ) -%}
    {%- endif -%}
{%- endif -%}

with source as (
    {%- if flags_exist %}
        select * from {{ flags_relation }}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as source_table,
            cast(null as date) as period_start,
            cast(null as {{ dbt.type_string() }}) as check_name,
            cast(null as {{ dbt.type_string() }}) as severity,
            cast(null as {{ dbt.type_string() }}) as message,
            cast(null as {{ dbt.type_timestamp() }}) as flagged_at
        where 1 = 0
    {%- endif %}
),

renamed as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(period_start as date) as period_start,
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(message as {{ dbt.type_string() }}) as message,
        cast(flagged_at as {{ dbt.type_timestamp() }}) as flagged_at
    from source
)

select * from renamed
