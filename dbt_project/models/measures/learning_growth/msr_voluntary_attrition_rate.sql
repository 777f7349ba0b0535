{{ config(meta={'measure_id': 'voluntary_attrition_rate'}) }}

-- Ratio over the period-start cohort: employees employed at the start of the period who left
-- voluntarily during it ÷ headcount at the start of the period. Both parts are sliced by the team
-- the employee was in at the period's start, so in every segment the numerator is a subset of the
-- denominator: someone hired after the period started, or who moved teams during it, cannot push a
-- team's rate above 1.
with employee_months as (
    select
        employee_id,
        month_start,
        team_at_start,
        case when is_employed_at_start then 1 else 0 end as employed_at_start,
        case when is_voluntary_leaver then 1 else 0 end as voluntary_leavers
    from {{ ref('int_employee_months') }}
),

employee_months_by_period as (
    {{ scorecard_engine.expand_to_periods('employee_months') | indent(4) }}
),

employee_months_with_cohort as (
    select
        employee_months_by_period.*,
        {{ scorecard_engine.member_at_period_start('employed_at_start', 'employee_id') }} as is_in_opening_cohort,
        {{ scorecard_engine.value_at_period_start('team_at_start', 'employee_id') }} as team
    from employee_months_by_period
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('voluntary_attrition_rate') | indent(8) }},
        {{ scorecard_engine.flow_sum('voluntary_leavers') }} as numerator,
        {{ scorecard_engine.stock_at_period_start('employed_at_start') }} as denominator
    from employee_months_with_cohort
    where is_in_opening_cohort = 1
    {{ scorecard_engine.segment_group_by('voluntary_attrition_rate') | indent(4) }}
)

{{ scorecard_engine.measure_result('voluntary_attrition_rate', 'aggregated', 'ratio') }}
