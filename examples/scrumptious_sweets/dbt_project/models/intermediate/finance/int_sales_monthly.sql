-- Net sales per location and month, with the location's division and store.
with sales as (
    select * from {{ ref('stg_pos__sales') }}
),

locations as (
    select * from {{ ref('int_locations') }}
),

monthly as (
    select
        {{ scorecard_engine.month_start('business_date') }} as month_start,
        location_id,
        sum(transactions) as transactions,
        sum(net_amount) as net_amount
    from sales
    group by {{ scorecard_engine.month_start('business_date') }}, location_id
)

select
    monthly.month_start,
    monthly.location_id,
    locations.division,
    locations.store,
    monthly.transactions,
    monthly.net_amount
from monthly
left join locations
    on monthly.location_id = locations.location_id
