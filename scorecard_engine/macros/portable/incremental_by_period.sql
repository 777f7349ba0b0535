{#
    The materialization of a model that is incremental by period (measure models through
    measure_result, measure_values): config(**scorecard_engine.incremental_by_period(pre_hook)).

    DuckDB (default): incremental, delete+insert by (period_grain, period_start), with the pre-hook
    that clears what the build recomputes. Spark: delete+insert and DELETE need a table format with
    row-level changes (Delta, Iceberg, Hudi), which a plain Parquet warehouse does not have, so every
    build recomputes the whole table; is_incremental() is then false and every period filter opens.
#}
{% macro incremental_by_period(pre_hook) -%}
    {{ return(adapter.dispatch('incremental_by_period', 'scorecard_engine')(pre_hook)) }}
{%- endmacro %}

{% macro default__incremental_by_period(pre_hook) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': ['period_grain', 'period_start'],
        'on_schema_change': 'append_new_columns',
        'pre_hook': pre_hook,
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_period(pre_hook) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
