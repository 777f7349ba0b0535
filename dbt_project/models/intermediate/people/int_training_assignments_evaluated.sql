-- Each LMS training assignment with its first completion, whether that came on or before the due
-- date, and the department and team the employee was in on the due date (an employee who moved
-- team counts for the team they were in when the course fell due).
with assignments as (
    select * from {{ ref('stg_hr__training_assignments') }}
),

first_completions as (
    select
        training_assignment_id,
        min(completed_at) as first_completed_at
    from {{ ref('stg_hr__training_completions') }}
    group by training_assignment_id
),

team_history as (
    select * from {{ ref('int_employee_team_history') }}
),

evaluated as (
    select
        assignments.training_assignment_id,
        assignments.employee_id,
        assignments.course_id,
        assignments.assigned_at,
        assignments.due_at,
        {{ scorecard_engine.month_start('assignments.due_at') }} as due_month,
        first_completions.first_completed_at,
        coalesce(cast(first_completions.first_completed_at as date) <= assignments.due_at, false)
            as is_completed_on_time,
        team_history.department as department_at_due,
        team_history.team as team_at_due
    from assignments
    left join first_completions
        on assignments.training_assignment_id = first_completions.training_assignment_id
    left join team_history
        on assignments.employee_id = team_history.employee_id
        and team_history.valid_from <= assignments.due_at
        and (team_history.valid_until is null or assignments.due_at < team_history.valid_until)
)

select * from evaluated
