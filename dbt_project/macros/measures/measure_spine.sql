{#
    The rows a measure must have: every period of every grain its frequency reports (monthly →
    month, quarter, year; quarterly → quarter, year) while the measure is active in cfg_measures
    (period ends on or after effective_from, starts before retired_on), crossed with every segment
    known for its population. A measure left-joins its results onto this, so missing data is an
    explicit null value, never a missing row.
#}
{% macro measure_spine(measure_id, segment_dimension) -%}
    select
        measures.measure_id,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        segments.team,
        segments.region,
        segments.customer_segment
    from {{ ref('cfg_measures') }} as measures
    cross join (
        select distinct period_grain, period_start, period_end, period_label
        from {{ ref('int_fiscal_periods') }}
    ) as periods
    inner join {{ ref('int_scorecard_segments') }} as segments
        on segments.segment_dimension = '{{ segment_dimension }}'
    where measures.measure_id = '{{ measure_id }}'
        and (periods.period_grain <> 'month' or measures.frequency = 'monthly')
        and periods.period_end >= cast(measures.effective_from as date)
        and (measures.retired_on is null or periods.period_start < cast(measures.retired_on as date))
{%- endmacro %}
