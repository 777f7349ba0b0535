{#
    How a measure's numerator and denominator aggregate over the months of a period, by measure
    semantics. Used on the output of expand_to_periods, grouped with segment_group_by.
      flow   summed (or counted) over every month of the period
      stock  read at one edge of the period: its last month's end, or its first month's start
      distribution  the median over the whole period's population, never a median of medians
#}

{% macro flow_sum(expression) -%}
    sum({{ expression }})
{%- endmacro %}

{# Distinct entities with the event in the period: an account churning twice in a quarter counts once. #}
{% macro flow_count_distinct(expression) -%}
    count(distinct {{ expression }})
{%- endmacro %}

{% macro stock_at_period_end(expression) -%}
    sum(case when is_last_month then {{ expression }} end)
{%- endmacro %}

{% macro stock_at_period_start(expression) -%}
    sum(case when is_first_month then {{ expression }} end)
{%- endmacro %}

{% macro distribution_median(expression) -%}
    {{ median(expression) }}
{%- endmacro %}

{# A ratio from its aggregated parts: null, not an error or infinity, when the denominator is 0. #}
{% macro ratio_value(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }}) / nullif(cast({{ denominator }} as {{ type_double() }}), 0)
{%- endmacro %}
