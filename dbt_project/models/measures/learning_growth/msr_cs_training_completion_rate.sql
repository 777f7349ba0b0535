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
),

assignments_by_period as (
    {{ scorecard_engine.expand_to_periods('assignments') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('cs_training_completion_rate') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_completed_on_time') }} as numerator,
        count(*) as denominator
    from assignments_by_period
    {{ scorecard_engine.segment_group_by('cs_training_completion_rate') | indent(4) }}
)

{{ scorecard_engine.measure_result('cs_training_completion_rate', 'aggregated', 'ratio') }}
