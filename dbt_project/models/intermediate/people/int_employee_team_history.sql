-- Which department and team each employee belonged to, as non-overlapping intervals
-- [valid_from, valid_until): an assignment ends the day after its valid_to, or when the employee's
-- next assignment starts if that is earlier (sources sometimes close a row on the day the next one
-- opens). "Team on date d" is then a single match: valid_from <= d < valid_until (null = open).
with assignments as (
    select * from {{ ref('stg_hr__team_assignments') }}
),

with_next as (
    select
        assignment_id,
        employee_id,
        department,
        team,
        valid_from,
        valid_to,
        lead(valid_from) over (
            partition by employee_id order by valid_from, assignment_id
        ) as next_valid_from
    from assignments
),

bounded as (
    select
        assignment_id,
        employee_id,
        department,
        team,
        valid_from,
        case
            when valid_to is null then next_valid_from
            when next_valid_from is null then cast({{ dbt.dateadd('day', 1, 'valid_to') }} as date)
            when next_valid_from < cast({{ dbt.dateadd('day', 1, 'valid_to') }} as date) then next_valid_from
            else cast({{ dbt.dateadd('day', 1, 'valid_to') }} as date)
        end as valid_until,
        next_valid_from is null as is_latest_assignment
    from with_next
)

select * from bounded
