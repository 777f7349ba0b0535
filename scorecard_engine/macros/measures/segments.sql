{#
    Cascade segments, long form. Every measure is computed at company level and per value of each
    segment dimension it is sliced by (measures.yml `slice_by`, dimensions declared by the company
    in strategy.yml), one dimension at a time: grouping sets ((), (d1), (d2), …). The facts carry
    one column per dimension, named like it. Each result row says which dimension it slices
    (segment_dimension) and by which value (segment_value); the company row is 'all' / 'all'.
#}

{# The registry entry of a measure: {measure_id, model, slice_by}, from the company's config. #}
{% macro scorecard_measure(measure_id) -%}
    {%- set registry = scorecard_registry() -%}
    {%- for measure in registry['measures'] -%}
        {%- if measure['measure_id'] == measure_id -%}
            {{ return(measure) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "Measure '" ~ measure_id ~ "' is not in this company's scorecard_config/measures.yml. "
        ~ "Add it there, or fix the measure id in the model's config(meta={'measure_id': ...})."
    ) }}
{%- endmacro %}

{% macro segment_dimensions(measure_id) -%}
    {{ return(scorecard_engine.scorecard_measure(measure_id)['slice_by']) }}
{%- endmacro %}

{#
    segment_dimension and segment_value from the grouping sets: the first dimension in the current
    grouping set (grouping() = 0) names the row; 'unassigned' stands for a fact whose own value is
    null, so a null in the data can never be mistaken for the company row.
#}
{% macro segment_select(measure_id) -%}
    {%- set dimensions = scorecard_engine.segment_dimensions(measure_id) -%}
    {%- if dimensions | length == 0 -%}
    'all' as segment_dimension,
    'all' as segment_value
    {%- else -%}
    case
        {%- for dimension in dimensions %}
        when grouping({{ dimension }}) = 0 then '{{ dimension }}'
        {%- endfor %}
        else 'all'
    end as segment_dimension,
    case
        {%- for dimension in dimensions %}
        when grouping({{ dimension }}) = 0 then coalesce(cast({{ dimension }} as {{ dbt.type_string() }}), 'unassigned')
        {%- endfor %}
        else 'all'
    end as segment_value
    {%- endif -%}
{%- endmacro %}

{# group by the period keys, once for the company and once per segment dimension. #}
{% macro segment_group_by(measure_id, keys=['period_grain', 'period_start']) -%}
    {%- set dimensions = scorecard_engine.segment_dimensions(measure_id) -%}
    {%- if dimensions | length == 0 -%}
    group by {{ keys | join(', ') }}
    {%- else -%}
    group by grouping sets (
        ({{ keys | join(', ') }}),
        {%- for dimension in dimensions %}
        ({{ keys | join(', ') }}, {{ dimension }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}
