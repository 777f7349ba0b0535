{#
    Join conditions on the keys of the scorecard's two grains, written once so that no join drops a
    part of a key: a quarter and its first month start on the same day, and a segment value is unique
    only within its dimension.
#}

{#
    left and right are rows of the same scorecard period: scorecard, period grain and period start
    (the key of balance_report and of every roll-up's period).
#}
{% macro same_scorecard_period(left, right) -%}
    {{ left }}.scorecard_id = {{ right }}.scorecard_id
    and {{ left }}.period_grain = {{ right }}.period_grain
    and {{ left }}.period_start = {{ right }}.period_start
{%- endmacro %}

{#
    left and right are rows of the same measure value: measure, segment (dimension and value),
    period grain and period start (the key of measure_values, of int_scorecard_targets and of the
    measure_value_history snapshot).
#}
{% macro same_measure_value(left, right) -%}
    {{ left }}.measure_id = {{ right }}.measure_id
    and {{ left }}.segment_dimension = {{ right }}.segment_dimension
    and {{ left }}.segment_value = {{ right }}.segment_value
    and {{ left }}.period_grain = {{ right }}.period_grain
    and {{ left }}.period_start = {{ right }}.period_start
{%- endmacro %}
