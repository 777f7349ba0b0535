{{ config(meta={'measure_id': 'employee_suggestions'}) }}

-- Flow: suggestions submitted in the period, counted at the location of the employee who made them.
with suggestions as (
    select
        month_start,
        division,
        store,
        suggestion_id
    from {{ ref('int_employee_suggestions') }}
),

suggestions_by_period as (
    {{ scorecard_engine.expand_to_periods('suggestions') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('employee_suggestions') | indent(8) }},
        {{ scorecard_engine.flow_count_distinct('suggestion_id') }} as numerator
    from suggestions_by_period
    {{ scorecard_engine.segment_group_by('employee_suggestions') | indent(4) }}
)

{{ scorecard_engine.measure_result('employee_suggestions', 'aggregated', 'numerator', zero_fill=true) }}
