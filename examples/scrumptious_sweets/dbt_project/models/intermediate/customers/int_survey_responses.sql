-- Answered satisfaction surveys with the month, division and store they count for.
with responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

locations as (
    select * from {{ ref('int_locations') }}
)

select
    responses.response_id,
    {{ scorecard_engine.month_start('responses.answered_at') }} as month_start,
    responses.location_id,
    locations.division,
    locations.store,
    responses.channel,
    responses.is_satisfied
from responses
left join locations
    on responses.location_id = locations.location_id
