{#
    The rows a measure must have: every period of every grain its frequency reports (monthly →
    month, quarter, year; quarterly → quarter, year) while the measure is active in cfg_measures
    (period ends on or after effective_from, starts before retired_on), crossed with the company
    row and every segment value of its slice_by dimensions, declared (int_scorecard_segments) or
    seen in its results (so a value the config does not list is reported, not dropped). A measure
    left-joins its results onto this, so missing data is an explicit null value, never a missing row.
    An incremental build of the measure takes only the periods of its restatement window.
#}
{% macro measure_spine(measure_id, aggregated) -%}
    {%- set dimensions = ['all'] + scorecard_engine.segment_dimensions(measure_id) -%}
    select
        measures.measure_id,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        segments.segment_dimension,
        segments.segment_value
    from {{ ref(project_name, 'cfg_measures') }} as measures
    cross join (
        select distinct period_grain, period_start, period_end, period_label
        from {{ ref('int_fiscal_periods') }}
    ) as periods
    cross join (
        select segment_dimension, segment_value
        from {{ ref('int_scorecard_segments') }}
        where segment_dimension in ('{{ dimensions | join("', '") }}')
        union
        select segment_dimension, segment_value
        from {{ aggregated }}
        where segment_dimension in ('{{ dimensions | join("', '") }}')
    ) as segments
    where measures.measure_id = '{{ measure_id }}'
        and (periods.period_grain <> 'month' or measures.frequency = 'monthly')
        and {{ scorecard_engine.is_active_measure_period('measures', 'periods.period_start', 'periods.period_end') }}
        and {{ scorecard_engine.in_restatement_window('periods.period_end') }}
{%- endmacro %}
