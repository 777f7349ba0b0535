-- Operating costs per location, month and category, with the location's division and store.
with operating_costs as (
    select * from {{ ref('stg_finance__operating_costs') }}
),

locations as (
    select * from {{ ref('int_locations') }}
),

monthly as (
    select
        {{ scorecard_engine.month_start('posted_on') }} as month_start,
        location_id,
        category,
        sum(amount) as amount
    from operating_costs
    group by {{ scorecard_engine.month_start('posted_on') }}, location_id, category
)

select
    monthly.month_start,
    monthly.location_id,
    locations.division,
    locations.store,
    monthly.category,
    monthly.amount
from monthly
left join locations
    on monthly.location_id = locations.location_id
