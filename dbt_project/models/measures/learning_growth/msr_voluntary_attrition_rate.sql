{{ config(meta={'measure_id': 'voluntary_attrition_rate'}) }}

-- Ratio: employees who left voluntarily during the period (in the team they left from) ÷ headcount
-- at the start of the period (in the team they were in then). The two parts are separate fact
-- rows so each is sliced by its own team.
with employee_months as (
    select * from {{ ref('int_employee_months') }}
),

facts as (
    select
        month_start,
        team_at_leaving as team,
        1 as voluntary_leavers,
        0 as employed_at_start
    from employee_months
    where is_voluntary_leaver

    union all

    select
        month_start,
        team_at_start as team,
        0 as voluntary_leavers,
        1 as employed_at_start
    from employee_months
    where is_employed_at_start
),

facts_by_period as (
    {{ expand_to_periods('facts') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('employee') | indent(8) }},
        {{ flow_sum('voluntary_leavers') }} as numerator,
        {{ stock_at_period_start('employed_at_start') }} as denominator
    from facts_by_period
    {{ segment_group_by('employee') | indent(4) }}
)

{{ measure_result('voluntary_attrition_rate', 'aggregated', 'employee', 'ratio') }}
