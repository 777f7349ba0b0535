-- Which department and team each employee belonged to, as non-overlapping intervals
-- [valid_from, valid_until): an assignment ends the day after its valid_to, or when the employee's
-- next assignment starts if that is earlier (sources sometimes close a row on the day the next one
-- opens). "Team on date d" is then a single match: valid_from <= d < valid_until (null = open).
with assignments as (
    select * from {{ ref('stg_hr__team_assignments') }}
),

with_next as (
    select
        *,
        cast({{ dbt.dateadd('day', 1, 'valid_to') }} as date) as day_after_valid_to,
        lead(valid_from) over (
            partition by employee_id order by valid_from, assignment_id
        ) as next_valid_from
    from assignments
)

select
    assignment_id,
    employee_id,
    department,
    team,
    valid_from,
    case
        when valid_to is null then next_valid_from
        -- the last assignment (no next one) compares as null: it ends the day after its valid_to
        when next_valid_from < day_after_valid_to then next_valid_from
        else day_after_valid_to
    end as valid_until,
    next_valid_from is null as is_latest_assignment
from with_next
