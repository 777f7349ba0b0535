-- One row per employee and calendar month from the month they were hired to the month they left:
-- employment, department and team at the start and end of the month, and voluntary departures.
-- "At the start of a month" is the state at the end of the previous day, so a month's end state
-- equals the next month's start state: headcount at period start and end chain without gaps.
with employees as (
    select * from {{ ref('stg_hr__employees') }}
),

team_history as (
    select * from {{ ref('int_employee_team_history') }}
),

months as (
    select month_start, month_end from {{ ref('int_calendar_months') }}
),

employee_months as (
    select
        employees.employee_id,
        months.month_start,
        months.month_end,
        cast({{ dbt.dateadd('day', -1, 'months.month_start') }} as date) as day_before_month,
        employees.hire_date < months.month_start
        and (employees.termination_date is null or employees.termination_date >= months.month_start)
            as is_employed_at_start,
        employees.hire_date <= months.month_end
        and (employees.termination_date is null or employees.termination_date > months.month_end)
            as is_employed_at_end,
        employees.termination_date,
        coalesce(
            employees.termination_date >= months.month_start
            and employees.termination_date <= months.month_end
            and employees.termination_reason = 'voluntary',
            false
        ) as is_voluntary_leaver
    from employees
    inner join months
        on months.month_end >= employees.hire_date
        and (employees.termination_date is null or months.month_start <= employees.termination_date)
),

with_teams as (
    select
        employee_months.employee_id,
        employee_months.month_start,
        employee_months.is_employed_at_start,
        case when employee_months.is_employed_at_start then team_at_start.department end
            as department_at_start,
        case when employee_months.is_employed_at_start then team_at_start.team end as team_at_start,
        employee_months.is_employed_at_end,
        case when employee_months.is_employed_at_end then team_at_end.department end as department_at_end,
        case when employee_months.is_employed_at_end then team_at_end.team end as team_at_end,
        employee_months.is_voluntary_leaver,
        case when employee_months.is_voluntary_leaver then team_at_leaving.team end as team_at_leaving
    from employee_months
    left join team_history as team_at_start
        on employee_months.employee_id = team_at_start.employee_id
        and team_at_start.valid_from <= employee_months.day_before_month
        and (team_at_start.valid_until is null or employee_months.day_before_month < team_at_start.valid_until)
    left join team_history as team_at_end
        on employee_months.employee_id = team_at_end.employee_id
        and team_at_end.valid_from <= employee_months.month_end
        and (team_at_end.valid_until is null or employee_months.month_end < team_at_end.valid_until)
    left join team_history as team_at_leaving
        on employee_months.employee_id = team_at_leaving.employee_id
        and team_at_leaving.valid_from <= employee_months.termination_date
        and (
            team_at_leaving.valid_until is null
            or employee_months.termination_date < team_at_leaving.valid_until
        )
)

select * from with_teams
