{{ config(meta={'measure_id': 'employee_suggestions'}) }}

-- Flow: suggestions submitted in the period, counted at the location of the employee who made them.
with suggestions as (
    select
        month_start,
        division,
        store,
        suggestion_id
    from {{ ref('int_employee_suggestions') }}
)

{{ scorecard_engine.measure_from_grain(
    'employee_suggestions', 'suggestions', 'numerator',
    numerator=scorecard_engine.flow_count_distinct('suggestion_id'),
    zero_fill=true,
) }}
