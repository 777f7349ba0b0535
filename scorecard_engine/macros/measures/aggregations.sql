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

{#
    Period-start cohorts, for rates whose denominator is a stock at the period's start: the numerator
    may only count members of that opening stock, or at quarter and year grain it also counts
    accounts or employees that joined after the period started and the ratio can exceed 1.
    Evaluated per row of expand_to_periods (it needs is_first_month), as a window over one entity's
    months of one period, so it goes in a select before the grouped aggregation.
      value_at_period_start   the entity's value of expression in the period's first month (null if
                              the entity has no row then), e.g. the branch an employee worked at when it started
      member_at_period_start  1 if flag (a 0/1 expression) was 1 in the period's first month, else 0
#}
{% macro value_at_period_start(expression, key) -%}
    max(case when is_first_month then {{ expression }} end) over (partition by period_grain, period_start, {{ key }})
{%- endmacro %}

{% macro member_at_period_start(flag, key) -%}
    coalesce({{ scorecard_engine.value_at_period_start(flag, key) }}, 0)
{%- endmacro %}

{% macro distribution_median(expression) -%}
    {{ scorecard_engine.median(expression) }}
{%- endmacro %}

{# A ratio from its aggregated parts: null, not an error or infinity, when the denominator is 0. #}
{% macro ratio_value(numerator, denominator) -%}
    cast({{ numerator }} as {{ scorecard_engine.type_double() }}) / nullif(cast({{ denominator }} as {{ scorecard_engine.type_double() }}), 0)
{%- endmacro %}
