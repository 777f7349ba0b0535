{#
    The standard measure shape, from the spine and an aggregated relation with columns
    period_grain, period_start, segment_dimension, segment_value, numerator (and denominator for
    ratios), as segment_select / segment_group_by produce them.
      value_kind='ratio'      value = numerator / denominator (null when the denominator is 0)
      value_kind='numerator'  value = numerator (flows, stocks, distributions); denominator null
    zero_fill=true is for counts and sums: in a period with data at company level, a segment with
    no facts (a branch whose last employee left) has 0, not null. Periods without any data stay null.

    It also makes the model incremental by the restatement window (macros/measures/restatement_window):
    an incremental build clears the window's periods (pre-hook) and computes only those, from the
    spine down (expand_to_periods narrows the months it aggregates the same way); a full refresh
    computes every period. Materialization and filter live together here because neither is correct
    without the other. A measure model that does not end in measure_result stays whatever its project
    configures (delete+insert by period would still be correct for one that computes every period).
#}
{% macro measure_result(measure_id, aggregated, value_kind, zero_fill=false) -%}
    {%- if value_kind not in ('ratio', 'numerator') -%}
        {{ exceptions.raise_compiler_error("measure_result: value_kind must be 'ratio' or 'numerator', got '" ~ value_kind ~ "'") }}
    {%- endif -%}
    {{- config(**scorecard_engine.incremental_by_period(
        "{{ scorecard_engine.delete_restatement_window(this) }}"
    )) -}}
    select
        cast(spine.measure_id as {{ dbt.type_string() }}) as measure_id,
        cast(spine.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(spine.period_start as date) as period_start,
        cast(spine.period_end as date) as period_end,
        cast(spine.period_label as {{ dbt.type_string() }}) as period_label,
        cast(spine.segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
        cast(spine.segment_value as {{ dbt.type_string() }}) as segment_value,
        {%- if zero_fill %}
        {%- set numerator = 'case when observed.period_start is not null then coalesce(results.numerator, 0) end' %}
        {%- else %}
        {%- set numerator = 'results.numerator' %}
        {%- endif %}
        cast({{ numerator }} as {{ scorecard_engine.type_double() }}) as numerator,
        {%- if value_kind == 'ratio' %}
        cast(results.denominator as {{ scorecard_engine.type_double() }}) as denominator,
        {{ scorecard_engine.ratio_value('results.numerator', 'results.denominator') }} as value
        {%- else %}
        cast(null as {{ scorecard_engine.type_double() }}) as denominator,
        cast({{ numerator }} as {{ scorecard_engine.type_double() }}) as value
        {%- endif %}
    from ({{ scorecard_engine.measure_spine(measure_id, aggregated) }}) as spine
    left join {{ aggregated }} as results
        on spine.period_grain = results.period_grain
        and spine.period_start = results.period_start
        and spine.segment_dimension = results.segment_dimension
        and spine.segment_value = results.segment_value
    {%- if zero_fill %}
    left join (
        select period_grain, period_start
        from {{ aggregated }}
        where segment_dimension = 'all' and numerator is not null
    ) as observed
        on spine.period_grain = observed.period_grain
        and spine.period_start = observed.period_start
    {%- endif %}
{%- endmacro %}
