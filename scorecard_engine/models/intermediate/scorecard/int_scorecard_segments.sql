-- The segment values measures can be sliced by, from the company's config: the company row
-- ('all' / 'all') and every declared value of every declared dimension (strategy.yml segments).
-- The measure spine crosses periods with these rows (and with the values seen in the measure's
-- own results), so a declared segment without data in a period still gets a row with a null value.
with declared as (
    select segment_dimension, segment_value from {{ ref(project_name, 'cfg_segment_values') }}
)

select
    cast('all' as {{ dbt.type_string() }}) as segment_dimension,
    cast('all' as {{ dbt.type_string() }}) as segment_value

union all

select
    cast(segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(segment_value as {{ dbt.type_string() }}) as segment_value
from declared
