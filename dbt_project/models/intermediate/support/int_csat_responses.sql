-- CSAT survey answers with the month they were received in, whether they were satisfied (score 4
-- or 5) and the segments of the ticket's account.
with responses as (
    select * from {{ ref('stg_support__csat_responses') }}
),

tickets as (
    select * from {{ ref('int_tickets_resolution') }}
)

select
    responses.response_id,
    responses.ticket_id,
    tickets.account_id,
    responses.responded_at,
    {{ scorecard_engine.month_start('responses.responded_at') }} as month_start,
    responses.score,
    responses.score >= 4 as is_satisfied,
    coalesce(tickets.team, 'unassigned') as team,
    coalesce(tickets.region, 'unknown') as region,
    coalesce(tickets.customer_segment, 'unknown') as customer_segment
from responses
left join tickets
    on responses.ticket_id = tickets.ticket_id
