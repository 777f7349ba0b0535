{#
    The median of an expression (nulls ignored). percentile_cont(...) within group is standard SQL
    (DuckDB, PostgreSQL); Spark has no ordered-set aggregates, so it uses percentile_approx.
#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'scorecard_engine')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile_approx({{ expression }}, 0.5)
{%- endmacro %}
