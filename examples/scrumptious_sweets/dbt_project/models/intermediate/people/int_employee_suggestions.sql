-- Employee suggestions with the month, division and store they count for (the employee's location).
with suggestions as (
    select * from {{ ref('stg_hr__suggestions') }}
),

employees as (
    select * from {{ ref('stg_hr__employees') }}
),

locations as (
    select * from {{ ref('int_locations') }}
)

select
    suggestions.suggestion_id,
    {{ scorecard_engine.month_start('suggestions.submitted_at') }} as month_start,
    suggestions.employee_id,
    employees.location_id,
    locations.division,
    locations.store,
    suggestions.submitted_at,
    suggestions.is_adopted
from suggestions
left join employees
    on suggestions.employee_id = employees.employee_id
left join locations
    on employees.location_id = locations.location_id
