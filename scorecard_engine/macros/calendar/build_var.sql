{#
    A setting of one build that changes from run to run: the scorecard's first and last month and the
    restatement window (vars scorecard_first_month, scorecard_last_month, restatement_window_months).

    The orchestration passes them as environment variables (SCORECARD_BUILD_FIRST_MONTH,
    SCORECARD_BUILD_LAST_MONTH, SCORECARD_BUILD_RESTATEMENT_WINDOW_MONTHS), read only while dbt
    executes, never while it parses: dbt keys its partial parse on --vars, so months passed as vars
    would make every scheduled run (a new month each time) re-parse the whole project, and an env_var
    read at parse time would re-parse every model that calls this macro. Without the environment
    variable (dbt run by hand, unit tests) the var of the same name applies, then `default`.
#}
{% macro build_var(name, default=none) -%}
    {%- set env_name = 'SCORECARD_BUILD_' ~ (name | replace('scorecard_', '') | upper) -%}
    {%- set from_env = env_var(env_name, '') if execute else '' -%}
    {%- if from_env | trim != '' -%}
        {{ return(from_env | trim) }}
    {%- endif -%}
    {{ return(var(name, default)) }}
{%- endmacro %}
