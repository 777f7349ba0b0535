{#
    dbt.datediff as one parenthesised expression. dbt-spark's month, quarter and year differences
    are a sum of two CASE expressions with no parentheses around them, so
    `{{ dbt.datediff(a, b, 'month') }} / 3` divides only the second one on Spark (a forecast's
    periods elapsed read 10 instead of 4 until the DuckDB/Spark parity test caught it). Models
    call this one whenever the difference takes part in arithmetic.
#}
{% macro datediff(first_date, second_date, datepart) -%}
    ({{ dbt.datediff(first_date, second_date, datepart) }})
{%- endmacro %}
