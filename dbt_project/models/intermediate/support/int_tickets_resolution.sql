-- Each support ticket with how it was handled: hours to the first agent response, when it was
-- resolved, whether it was reopened, and first-contact resolution (resolved with a single contact
-- and never reopened). A reopened ticket is never a first-contact resolution, whatever its
-- contact count says.
with tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
)

select
    tickets.ticket_id,
    tickets.account_id,
    tickets.agent_id,
    tickets.opened_at,
    {{ scorecard_engine.month_start('tickets.opened_at') }} as opened_month,
    tickets.first_response_at,
    cast({{ dbt.datediff('tickets.opened_at', 'tickets.first_response_at', 'second') }} as {{ scorecard_engine.type_double() }})
    / 3600.0 as hours_to_first_response,
    tickets.resolved_at,
    {{ scorecard_engine.month_start('tickets.resolved_at') }} as resolved_month,
    tickets.contacts_to_resolution,
    coalesce(tickets.is_reopened, false) as is_reopened,
    tickets.resolved_at is not null
    and tickets.contacts_to_resolution = 1
    and not coalesce(tickets.is_reopened, false) as is_first_contact_resolution,
    coalesce(accounts.team, 'unassigned') as team,
    coalesce(accounts.region, 'unknown') as region,
    coalesce(accounts.customer_segment, 'unknown') as customer_segment
from tickets
left join accounts
    on tickets.account_id = accounts.account_id
