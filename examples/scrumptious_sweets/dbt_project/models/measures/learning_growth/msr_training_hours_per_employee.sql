{{ config(meta={'measure_id': 'training_hours_per_employee'}) }}

-- Ratio of two stocks read at the period's end: the training hours the employees on staff then
-- attended in the 12 months before ÷ those employees. A trailing year makes a quarter and a year
-- comparable with the same annual target.
with employee_months as (
    select
        month_start,
        division,
        store,
        case when is_employed_at_end then training_hours_trailing_12_months else 0 end
            as training_hours_of_staff_at_end,
        case when is_employed_at_end then 1 else 0 end as is_on_staff_at_end
    from {{ ref('int_employee_months') }}
),

employee_months_by_period as (
    {{ scorecard_engine.expand_to_periods('employee_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('training_hours_per_employee') | indent(8) }},
        {{ scorecard_engine.stock_at_period_end('training_hours_of_staff_at_end') }} as numerator,
        {{ scorecard_engine.stock_at_period_end('is_on_staff_at_end') }} as denominator
    from employee_months_by_period
    {{ scorecard_engine.segment_group_by('training_hours_per_employee') | indent(4) }}
)

{{ scorecard_engine.measure_result('training_hours_per_employee', 'aggregated', 'ratio') }}
