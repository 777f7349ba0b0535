{#
    The first day of the calendar month containing a date or timestamp, as a date: the key every
    fact is bucketed by before it is expanded to fiscal quarters and years.
#}
{% macro month_start(expression) -%}
    cast({{ dbt.date_trunc('month', expression) }} as date)
{%- endmacro %}
