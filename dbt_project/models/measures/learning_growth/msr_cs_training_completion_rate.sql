{{ config(meta={'measure_id': 'cs_training_completion_rate'}) }}

-- Ratio: training assignments of customer-success staff due in the period that were completed on
-- or before the due date ÷ assignments due in the period. Staff and team are taken on the due date.
with assignments as (
    select
        due_month as month_start,
        team_at_due as team,
        case when is_completed_on_time then 1 else 0 end as is_completed_on_time
    from {{ ref('int_training_assignments_evaluated') }}
    where department_at_due = 'customer_success'
)

{{ scorecard_engine.measure_from_grain(
    'cs_training_completion_rate', 'assignments', 'ratio',
    numerator=scorecard_engine.flow_sum('is_completed_on_time'),
    denominator='count(*)',
) }}
