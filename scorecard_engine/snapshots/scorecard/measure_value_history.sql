{#
    Every version of every published measure value: a check-strategy snapshot of measure_values,
    taken by each `dbt build` after measure_values is rebuilt. A new version is recorded when a
    row's value changes, or when its period becomes complete (a quarter or fiscal year closes), so
    what the scorecard showed at any time stays answerable; nothing is overwritten. Snapshots are
    untouched by `dbt build --full-refresh`. restatements reads this history.

    Values are compared at dbt.type_numeric() precision (6 decimals): parallel aggregation may change
    the last bits of a double between two runs on the same data, and that is not a change.
#}
{% snapshot measure_value_history %}

{{ config(
    schema='scorecard',
    unique_key=['measure_id', 'period_grain', 'period_start', 'segment_dimension', 'segment_value'],
    strategy='check',
    check_cols=['comparable_value', 'is_period_complete'],
    meta={'dagster': {'group': 'marts'}},
) }}

{%- set run_id = var('scorecard_run_id', none) -%}
{%- set run_seq = var('scorecard_run_seq', none) -%}
{%- if run_seq is not none and not (run_seq | string).isdigit() -%}
    {{ exceptions.raise_compiler_error("dbt var 'scorecard_run_seq' must be a whole number, got '" ~ run_seq ~ "'.") }}
{%- endif %}

select
    measure_values.measure_id,
    measure_values.period_grain,
    measure_values.period_start,
    measure_values.period_end,
    measure_values.period_label,
    measure_values.segment_dimension,
    measure_values.segment_value,
    measure_values.numerator,
    measure_values.denominator,
    measure_values.value,
    cast(measure_values.value as {{ dbt.type_numeric() }}) as comparable_value,
    measure_values.config_version,
    measure_values.computed_at,
    measure_values.period_end < cast({{ dbt.dateadd('month', 1, scorecard_last_month()) }} as date)
        as is_period_complete,
    {{ scorecard_last_month() }} as reported_through_month,
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
from {{ ref('measure_values') }} as measure_values

{% endsnapshot %}
