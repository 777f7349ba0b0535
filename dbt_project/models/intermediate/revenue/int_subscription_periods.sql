-- Each subscription as consecutive intervals [valid_from, valid_until) of constant MRR, one per
-- event: the MRR a subscription had at any instant t is the interval with
-- valid_from <= t < valid_until (valid_until null = still in force). A subscription is active while
-- its MRR is above zero.
with events as (
    select * from {{ ref('int_subscription_events_sequenced') }}
),

periods as (
    select
        event_id,
        subscription_id,
        account_id,
        plan_id,
        event_at as valid_from,
        lead(event_at) over (partition by subscription_id order by event_at, event_id) as valid_until,
        mrr_after as mrr,
        mrr_after > 0 as is_active
    from events
)

select * from periods
