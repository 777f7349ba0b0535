{#
    The measure shape, as one test per measure model (`data_tests: [measure_shape]` in its YAML):
    every rule a measure_values row depends on, each failing row naming the rule it breaks.
      duplicate_key         two rows for one period_grain, period_start, segment_dimension, segment_value
      null_key              measure_id, period_grain, period_start, period_end, period_label,
                            segment_dimension or segment_value is null
      wrong_measure_id      measure_id is not the model's meta.measure_id
      unknown_grain         period_grain is not month, quarter or year
      unknown_dimension     segment_dimension is neither 'all' nor in the measure's slice_by
      company_row_not_all   segment_dimension 'all' with another segment_value
    The columns themselves are fixed by measure_values' enforced contract.
#}
{% test measure_shape(model) %}
    {%- set measure = namespace(id=none) -%}
    {%- for entry in scorecard_registry()['measures'] -%}
        {%- if entry['model'] == model.identifier -%}{%- set measure.id = entry['measure_id'] -%}{%- endif -%}
    {%- endfor -%}
    {%- if measure.id is none and execute -%}
        {{ exceptions.raise_compiler_error(
            "measure_shape is applied to " ~ model.identifier ~ ", which is not the model of any measure in "
            ~ "scorecard_config/measures.yml (a measure's model is msr_<measure_id>). Add the measure, or remove the test."
        ) }}
    {%- endif -%}
    {%- set measure_id = measure.id or '' -%}
    {%- set dimensions = ['all'] + (scorecard_engine.segment_dimensions(measure_id) if measure.id else []) -%}
    with shaped as (
        select * from {{ model }}
    ),

    duplicates as (
        select period_grain, period_start, segment_dimension, segment_value
        from shaped
        group by period_grain, period_start, segment_dimension, segment_value
        having count(*) > 1
    ),

    failures as (
        select
            'duplicate_key' as failure,
            period_grain,
            period_start,
            segment_dimension,
            segment_value
        from duplicates

        union all

        select
            case
                when measure_id is null or period_grain is null or period_start is null
                    or period_end is null or period_label is null
                    or segment_dimension is null or segment_value is null then 'null_key'
                when measure_id <> '{{ measure_id }}' then 'wrong_measure_id'
                when period_grain not in ('month', 'quarter', 'year') then 'unknown_grain'
                when segment_dimension not in ('{{ dimensions | join("', '") }}') then 'unknown_dimension'
                else 'company_row_not_all'
            end as failure,
            period_grain,
            period_start,
            segment_dimension,
            segment_value
        from shaped
        where measure_id is null or period_grain is null or period_start is null
            or period_end is null or period_label is null
            or segment_dimension is null or segment_value is null
            or measure_id <> '{{ measure_id }}'
            or period_grain not in ('month', 'quarter', 'year')
            or segment_dimension not in ('{{ dimensions | join("', '") }}')
            or (segment_dimension = 'all' and segment_value <> 'all')
    )

    select * from failures
{% endtest %}
