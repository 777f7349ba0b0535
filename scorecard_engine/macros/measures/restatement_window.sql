{#
    The restatement window: what an incremental build recomputes. Periods (of any grain) that end on
    or after restatement_window_start() — the scorecard's last month minus restatement_window_months
    (macro build_var) — are recomputed; closed periods before it keep the values they were published
    with until a full refresh (`scorecard run --all`, `dbt build --full-refresh`). measure_values and
    every measure model share this one boundary, so a measure table never holds a recomputed period
    that measure_values does not take, nor misses one it does.
#}
{% macro restatement_window_start() -%}
    cast({{ dbt.dateadd('month', 0 - scorecard_engine.restatement_window_months(), scorecard_engine.scorecard_last_month()) }} as date)
{%- endmacro %}

{#
    restatement_window_months as a checked whole number: the build's (environment), else the var
    (--vars, or the root project's vars), else 3. The default is written here as well as in the
    engine's dbt_project.yml because a var declared there is seen only by the engine's own models,
    and the company's measure models take the window from this macro too (tests/dbt checks that the
    two agree).
#}
{% macro restatement_window_months() -%}
    {%- set text = scorecard_engine.build_var('restatement_window_months', 3) | string | trim -%}
    {%- if not modules.re.match('^[0-9]+$', text) -%}
        {{ exceptions.raise_compiler_error(
            "restatement_window_months is '" ~ text ~ "'; expected a whole number of months, 0 or more "
            ~ "(e.g. --vars '{restatement_window_months: 3}')."
        ) }}
    {%- endif -%}
    {{ return(text | int) }}
{%- endmacro %}

{#
    `period_end >= <window start>` while an incremental model builds incrementally, else `true`: the
    filter every part of a measure model applies to its periods (the spine in measure_result, the
    month-to-period expansion in expand_to_periods), so an incremental build reads and aggregates
    only the months of the periods it recomputes.
#}
{% macro in_restatement_window(period_end) -%}
    {#- A unit test has no `this` (no relation to be incremental on) unless it gives one as an input
        and overrides is_incremental, which dbt's is_incremental would otherwise fail on. -#}
    {%- if this is not none and is_incremental() -%}
        {{ period_end }} >= {{ scorecard_engine.restatement_window_start() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook of an incremental measure model: clear the whole window before its periods are
    inserted again. Deleting by key alone would keep a period the spine no longer reports (a measure
    retired inside the window), and measure_values would publish it again from here.
#}
{% macro delete_restatement_window(relation) -%}
    {%- if is_incremental() %}
        delete from {{ relation }}
        where {{ scorecard_engine.in_restatement_window('period_end') }}
    {%- endif %}
{%- endmacro %}
