-- Units baked, sold fresh and discarded per bakery (store front or central bakery) and month.
with batches as (
    select * from {{ ref('stg_bakery_ops__batches') }}
),

locations as (
    select * from {{ ref('int_locations') }}
),

monthly as (
    select
        {{ scorecard_engine.month_start('baked_at') }} as month_start,
        location_id,
        count(*) as batches,
        sum(units_baked) as units_baked,
        sum(units_sold_fresh) as units_sold_fresh,
        sum(units_discarded) as units_discarded
    from batches
    group by {{ scorecard_engine.month_start('baked_at') }}, location_id
)

select
    monthly.month_start,
    monthly.location_id,
    locations.division,
    locations.store,
    monthly.batches,
    monthly.units_baked,
    monthly.units_sold_fresh,
    monthly.units_discarded
from monthly
left join locations
    on monthly.location_id = locations.location_id
