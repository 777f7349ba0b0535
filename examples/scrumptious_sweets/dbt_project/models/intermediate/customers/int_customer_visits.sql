-- Loyalty visits with the month, division and store they count for, and whether the customer had
-- visited (any store front) in the 90 days before: the previous visit of the same card.
with visits as (
    select * from {{ ref('stg_pos__customer_visits') }}
),

locations as (
    select * from {{ ref('int_locations') }}
),

sequenced as (
    select
        visit_id,
        location_id,
        loyalty_id,
        visited_at,
        queue_minutes,
        lag(visited_at) over (partition by loyalty_id order by visited_at, visit_id) as previous_visit_at
    from visits
)

select
    sequenced.visit_id,
    {{ scorecard_engine.month_start('sequenced.visited_at') }} as month_start,
    sequenced.location_id,
    locations.division,
    locations.store,
    sequenced.loyalty_id,
    sequenced.visited_at,
    sequenced.previous_visit_at,
    coalesce(
        sequenced.previous_visit_at >= {{ dbt.dateadd('day', -90, 'sequenced.visited_at') }}, false
    ) as is_repeat_visit,
    sequenced.queue_minutes
from sequenced
left join locations
    on sequenced.location_id = locations.location_id
