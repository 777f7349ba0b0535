-- One row per employee and calendar month they were employed in (any day of it), with the
-- location's division and store, whether they were on staff at the month's end, and the training
-- hours they attended in the month and in the 12 months to its end. Employee months are contiguous
-- from hire to leaving, so the trailing window is the 12 rows up to the month. An employee is
-- counted at their current location (the HR export keeps no location history).
with employees as (
    select * from {{ ref('stg_hr__employees') }}
),

terminations as (
    select * from {{ ref('stg_hr__terminations') }}
),

locations as (
    select * from {{ ref('int_locations') }}
),

months as (
    select month_start, month_end from {{ ref('int_calendar_months') }}
),

training_monthly as (
    select
        employee_id,
        {{ scorecard_engine.month_start('attended_on') }} as month_start,
        sum(training_hours) as training_hours
    from {{ ref('stg_hr__training_sessions') }}
    group by employee_id, {{ scorecard_engine.month_start('attended_on') }}
),

employment as (
    select
        employees.employee_id,
        employees.location_id,
        employees.hire_date,
        terminations.termination_date
    from employees
    left join terminations
        on employees.employee_id = terminations.employee_id
),

employee_months as (
    select
        employment.employee_id,
        employment.location_id,
        months.month_start,
        employment.hire_date <= months.month_end
        and (employment.termination_date is null or employment.termination_date > months.month_end)
            as is_employed_at_end
    from employment
    inner join months
        on employment.hire_date <= months.month_end
        and (employment.termination_date is null or employment.termination_date >= months.month_start)
),

with_training as (
    select
        employee_months.employee_id,
        employee_months.location_id,
        employee_months.month_start,
        employee_months.is_employed_at_end,
        coalesce(training_monthly.training_hours, 0) as training_hours,
        sum(coalesce(training_monthly.training_hours, 0)) over (
            partition by employee_months.employee_id
            order by employee_months.month_start
            rows between 11 preceding and current row
        ) as training_hours_trailing_12_months
    from employee_months
    left join training_monthly
        on employee_months.employee_id = training_monthly.employee_id
        and employee_months.month_start = training_monthly.month_start
)

select
    with_training.employee_id,
    with_training.month_start,
    with_training.location_id,
    locations.division,
    locations.store,
    with_training.is_employed_at_end,
    with_training.training_hours,
    with_training.training_hours_trailing_12_months
from with_training
left join locations
    on with_training.location_id = locations.location_id
