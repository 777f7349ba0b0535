-- The segment values each population can be sliced by, with the company-level row ('all'
-- everywhere). The measure spine crosses periods with these rows, so a segment without data in a
-- period still gets a row with a null value.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

team_history as (
    select * from {{ ref('int_employee_team_history') }}
),

dimensions as (
    select 'company' as segment_dimension
    union all
    select 'account' as segment_dimension
    union all
    select 'employee' as segment_dimension
    union all
    select 'cs_employee' as segment_dimension
),

segments as (
    select segment_dimension, 'all' as team, 'all' as region, 'all' as customer_segment
    from dimensions

    union all

    select distinct 'account' as segment_dimension, team, 'all' as region, 'all' as customer_segment
    from accounts

    union all

    select distinct 'account' as segment_dimension, 'all' as team, region, 'all' as customer_segment
    from accounts

    union all

    select distinct 'account' as segment_dimension, 'all' as team, 'all' as region, customer_segment
    from accounts

    union all

    select distinct 'employee' as segment_dimension, team, 'all' as region, 'all' as customer_segment
    from team_history

    union all

    select distinct 'cs_employee' as segment_dimension, team, 'all' as region, 'all' as customer_segment
    from team_history
    where department = 'customer_success'
)

select * from segments
