{#
    Every version of every published measure value: a check-strategy snapshot of measure_values,
    taken by each `dbt build` after measure_values is rebuilt. A new version is recorded when a
    row's value changes, when its period becomes complete (a quarter or fiscal year closes), or when
    it stops being provisional (its observation window closes: macro is_provisional), so
    what the scorecard showed at any time stays answerable; nothing is overwritten. A row that
    leaves measure_values (its measure retired from that period, or removed from the config) gets a
    last version that says so: is_withdrawn true, value null, stamped with the run that withdrew it
    (a tombstone, re-derived from the snapshot's own current rows each build), so no withdrawn value
    reads as current and restatements records the withdrawal. Snapshots are untouched by
    `dbt build --full-refresh`. restatements reads this history.

    Values are compared at dbt.type_numeric() precision (6 decimals): parallel aggregation may change
    the last bits of a double between two runs on the same data, and that is not a change.
#}
{% snapshot measure_value_history %}
-- depends_on: {{ ref(project_name, 'cfg_settings') }}

{{ config(
    schema='scorecard',
    unique_key=['measure_id', 'period_grain', 'period_start', 'segment_dimension', 'segment_value'],
    strategy='check',
    check_cols=['comparable_value', 'is_period_complete', 'is_provisional', 'is_withdrawn'],
    meta={'dagster': {'group': 'marts'}},
) }}

{#- The run that computes the values, from the environment while dbt executes (never while it
    parses, like macro build_var): a value that changes every run must not make dbt re-parse. -#}
{%- set run_id = (env_var('SCORECARD_RUN_ID', '') if execute else '') or none -%}
{%- set run_seq = (env_var('SCORECARD_RUN_SEQ', '') if execute else '') or none -%}
{%- if run_seq is not none and not (run_seq | string).isdigit() -%}
    {{ exceptions.raise_compiler_error("environment variable SCORECARD_RUN_SEQ must be a whole number, got '" ~ run_seq ~ "'.") }}
{%- endif %}
{%- set history_relation = adapter.get_relation(
    database=this.database, schema=this.schema, identifier=this.identifier
) if execute else none -%}
{%- set history_exists = history_relation is not none -%}
{#- A history written before measures could declare a window has no matures_on yet. -#}
{%- set history_columns = [] -%}
{%- if history_exists -%}
    {%- for column in adapter.get_columns_in_relation(history_relation) -%}
        {%- do history_columns.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif %}

{%- set run_columns -%}
    {%- if run_id is none %}
        cast(null as {{ dbt.type_string() }}) as run_id,
    {%- else %}
        cast('{{ run_id | replace("'", "") }}' as {{ dbt.type_string() }}) as run_id,
    {%- endif %}
    {%- if run_seq is none %}
        cast(null as {{ dbt.type_bigint() }}) as run_seq
    {%- else %}
        cast({{ run_seq }} as {{ dbt.type_bigint() }}) as run_seq
    {%- endif %}
{%- endset %}

select
    {{ scorecard_engine.measure_value_columns('measure_values') | indent(4) }},
    measure_values.numerator,
    measure_values.denominator,
    measure_values.value,
    cast(measure_values.value as {{ dbt.type_numeric() }}) as comparable_value,
    measure_values.config_version,
    measure_values.computed_at,
    measure_values.period_end < cast({{ dbt.dateadd('month', 1, scorecard_last_month()) }} as date)
        as is_period_complete,
    measure_values.matures_on,
    {{ is_provisional('measure_values.matures_on') }} as is_provisional,
    false as is_withdrawn,
    {{ scorecard_last_month() }} as reported_through_month,
    {{ run_columns }}
from {{ ref('measure_values') }} as measure_values
{%- if history_exists %}

union all

-- Tombstones: current versions whose row has left measure_values (retired or removed measure).
select
    history.measure_id,
    history.period_grain,
    history.period_start,
    history.period_end,
    history.period_label,
    history.segment_dimension,
    history.segment_value,
    cast(null as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast(null as {{ type_double() }}) as value,
    cast(null as {{ dbt.type_numeric() }}) as comparable_value,
    settings.config_version,
    {{ to_utc_timestamp('current_timestamp') }} as computed_at,
    history.is_period_complete,
    {{ 'history.matures_on' if 'matures_on' in history_columns else 'cast(null as date)' }} as matures_on,
    false as is_provisional,
    true as is_withdrawn,
    {{ scorecard_last_month() }} as reported_through_month,
    {{ run_columns }}
from {{ this }} as history
cross join {{ ref(project_name, 'cfg_settings') }} as settings
where
    history.dbt_valid_to is null
    and not exists (
        select 1
        from {{ ref('measure_values') }} as measure_values
        where {{ same_measure_value('measure_values', 'history') }}
    )
{%- endif %}

{% endsnapshot %}
