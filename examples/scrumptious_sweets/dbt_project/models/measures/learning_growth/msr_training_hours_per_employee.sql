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
)

{{ scorecard_engine.measure_from_grain(
    'training_hours_per_employee', 'employee_months', 'ratio',
    numerator=scorecard_engine.stock_at_period_end('training_hours_of_staff_at_end'),
    denominator=scorecard_engine.stock_at_period_end('is_on_staff_at_end'),
) }}
