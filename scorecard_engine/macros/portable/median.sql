{#
    The median of an expression (nulls ignored). percentile_cont(...) within group is standard SQL
    (DuckDB, PostgreSQL); Spark spells the same exact, interpolated median percentile(x, 0.5)
    (not percentile_approx, whose answer depends on its accuracy setting).
#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'scorecard_engine')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
