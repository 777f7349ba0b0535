{#
    What the quality gates flagged, as written to quality.source_flags before dbt runs: one row per
    failed check on a source table, for one month or (period_start null) for every period.

    On a warehouse where the gates never ran the table does not exist: this view then reads as
    empty (nothing flagged) and dbt logs a warning (optional_source), so the scorecard still builds.
#}
with source as (
    {{ scorecard_engine.optional_source(
        'quality', 'source_flags',
        "quality.source_flags does not exist in this warehouse, so no measure is marked untrusted. "
        ~ "Run the quality gates (scorecard run) before dbt to create it."
    ) | indent(4) }}
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
