{#
    The first and last month of the scorecard as SQL date expressions: scorecard_first_month /
    scorecard_last_month ('YYYY-MM' or 'YYYY-MM-DD'), which the orchestration sets for each build
    (macro build_var) and a hand-run dbt takes as vars; without them the range is the
    scorecard_default_history_months months ending with the month before today. Values are checked
    here because they become SQL text.
#}

{% macro checked_month_var(name) -%}
    {%- set value = scorecard_engine.build_var(name) -%}
    {%- if value is none or (value | string | trim) in ('', 'None', 'null') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$', text) -%}
        {{ exceptions.raise_compiler_error(
            "dbt var '" ~ name ~ "' is '" ~ text ~ "'; expected a month as YYYY-MM or YYYY-MM-DD "
            ~ "(e.g. --vars '{" ~ name ~ ": 2025-03}')."
        ) }}
    {%- endif -%}
    {%- if text | length == 7 -%}{%- set text = text ~ '-01' -%}{%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{% macro scorecard_first_month() -%}
    {%- set value = scorecard_engine.checked_month_var('scorecard_first_month') -%}
    {%- if value is none -%}
        {%- set months_back = 1 - scorecard_engine.numeric_var('scorecard_default_history_months', 36, whole_number=true, minimum=1) | int -%}
        cast({{ dbt.dateadd('month', months_back, scorecard_engine.scorecard_last_month()) }} as date)
    {%- else -%}
        {{ scorecard_engine.month_start("cast('" ~ value ~ "' as date)") }}
    {%- endif -%}
{%- endmacro %}

{% macro scorecard_last_month() -%}
    {%- set value = scorecard_engine.checked_month_var('scorecard_last_month') -%}
    {%- if value is none -%}
        cast({{ dbt.dateadd('month', -1, scorecard_engine.month_start('current_date')) }} as date)
    {%- else -%}
        {{ scorecard_engine.month_start("cast('" ~ value ~ "' as date)") }}
    {%- endif -%}
{%- endmacro %}
