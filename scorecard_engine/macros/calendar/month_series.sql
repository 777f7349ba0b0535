{#
    One row per calendar month (column month_start) from first_month to last_month inclusive, where
    both are columns of bounds_relation (one row). Built from dbt's portable generate_series, not a
    recursive CTE (Spark has none). 1200 months is a century: more than any scorecard history.
#}
{% macro month_series(bounds_relation) -%}
    {%- set month_expression = dbt.dateadd('month', 'cast(series.generated_number as integer) - 1', 'bounds.first_month') -%}
    select cast({{ month_expression }} as date) as month_start
    from {{ bounds_relation }} as bounds
    cross join ({{ dbt.generate_series(1200) }}) as series
    where {{ month_expression }} <= bounds.last_month
{%- endmacro %}
