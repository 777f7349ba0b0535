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
    {{ expand_to_periods('employee_months') | indent(4) }}
),

employee_months_with_cohort as (
    select
        employee_months_by_period.*,
        {{ member_at_period_start('employed_at_start', 'employee_id') }} as is_in_opening_cohort,
        {{ value_at_period_start('team_at_start', 'employee_id') }} as team
    from employee_months_by_period
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('employee') | indent(8) }},
        {{ flow_sum('voluntary_leavers') }} as numerator,
        {{ stock_at_period_start('employed_at_start') }} as denominator
    from employee_months_with_cohort
    where is_in_opening_cohort = 1
    {{ segment_group_by('employee') | indent(4) }}
)

{{ measure_result('voluntary_attrition_rate', 'aggregated', 'employee', 'ratio') }}
