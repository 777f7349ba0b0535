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
)

{{ scorecard_engine.measure_from_grain(
    'voluntary_attrition_rate', 'employee_months', 'ratio',
    period_columns={
        'is_in_opening_cohort': scorecard_engine.member_at_period_start('employed_at_start', 'employee_id'),
        'team': scorecard_engine.value_at_period_start('team_at_start', 'employee_id'),
    },
    where='is_in_opening_cohort = 1',
    numerator=scorecard_engine.flow_sum('voluntary_leavers'),
    denominator=scorecard_engine.stock_at_period_start('employed_at_start'),
) }}
