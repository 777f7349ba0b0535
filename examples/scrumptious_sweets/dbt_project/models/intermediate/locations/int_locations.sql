-- The location hierarchy every fact is sliced by: the division a location belongs to and, for a
-- store front, its store (the store segment value of strategy.yml). The central bakery supplies the
-- wholesale division and is no store front, so its store is null and measures report it under
-- store 'unassigned'.
with locations as (
    select * from {{ ref('stg_finance__locations') }}
)

select
    location_id,
    location_name,
    location_type,
    division,
    case when location_type = 'store_front' then location_id end as store
from locations
