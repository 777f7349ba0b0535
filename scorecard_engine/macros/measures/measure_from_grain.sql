{#
    A measure from its grain: everything of a measure model after the CTE that says which rows count
    (the grain: monthly facts with a month_start column, one column per slice_by dimension and the
    facts the numerator and denominator read). It continues that model's `with` list, so the model is

        with <grain> as (select month_start, <segment columns>, <facts> from ... where ...)

        {{ scorecard_engine.measure_from_grain('<measure_id>', '<grain>', 'ratio',
            numerator=scorecard_engine.flow_sum('<fact>'), denominator='count(*)') }}

    and adds the grain's expansion to every period containing its month (expand_to_periods), the
    aggregation per period, once for the company and once per slice_by dimension (segment_select,
    segment_group_by), and the measure shape (measure_result, which also makes the model incremental
    by the restatement window).
      numerator, denominator  aggregate expressions over the grain's rows of one period and segment,
                              written with the aggregation helpers (flow_sum, stock_at_period_end, …);
                              a denominator only with value_kind='ratio', which requires one
      value_kind, zero_fill   as measure_result takes them
      period_columns          {name: expression} computed on every row of the expansion before it is
                              aggregated: the period-start cohort windows (member_at_period_start,
                              value_at_period_start) that need one period's months of one entity
      where                   a condition on those rows, e.g. that they belong to the opening cohort
    A measure of another shape (one derived from other measure models, say) uses the parts directly.
#}
{% macro measure_from_grain(
    measure_id, grain, value_kind, numerator, denominator=none, zero_fill=false, period_columns={}, where=none
) -%}
    {%- if (value_kind == 'ratio') != (denominator is not none) -%}
        {{ exceptions.raise_compiler_error(
            "measure_from_grain('" ~ measure_id ~ "'): value_kind 'ratio' takes a denominator, "
            ~ "value_kind 'numerator' none; got value_kind '" ~ value_kind ~ "'"
            ~ (" and no denominator" if denominator is none else " and a denominator")
        ) }}
    {%- endif -%}
    {%- set by_period = grain ~ '_by_period' -%}
    ,

{{ by_period }} as (
    {{ scorecard_engine.expand_to_periods(grain) | indent(4) }}
),
{%- if period_columns %}

{{ grain }}_with_period_columns as (
    select
        {{ by_period }}.*
        {%- for name, expression in period_columns.items() %},
        {{ expression }} as {{ name }}
        {%- endfor %}
    from {{ by_period }}
),
{%- set by_period = grain ~ '_with_period_columns' -%}
{%- endif %}

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select(measure_id) | indent(8) }},
        {{ numerator }} as numerator
        {%- if denominator is not none %},
        {{ denominator }} as denominator
        {%- endif %}
    from {{ by_period }}
    {%- if where is not none %}
    where {{ where }}
    {%- endif %}
    {{ scorecard_engine.segment_group_by(measure_id) | indent(4) }}
)

{{ scorecard_engine.measure_result(measure_id, 'aggregated', value_kind, zero_fill=zero_fill) }}
{%- endmacro %}
