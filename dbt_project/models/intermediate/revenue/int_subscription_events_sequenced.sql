-- Every subscription event in order, with the MRR before and after it and the movement it caused,
-- for the subscription and for its account. Movements are derived from the MRR amounts, not from
-- the event_type label, so a mislabelled event cannot mis-state MRR:
--   subscription: new, expansion (upgrade), contraction (downgrade), churn (to 0), reactivation
--   (back from 0), no_change
--   account: new_customer (first time the account has MRR), churn (its last active subscription
--   ended), reactivation (MRR again after a churn), else null
-- A cancellation carries the MRR in force after it: 0. Events at the same instant are ordered by
-- event_id so running totals are deterministic.
with events as (
    select * from {{ ref('stg_billing__subscription_events') }}
),

with_subscription_mrr as (
    select
        *,
        {{ scorecard_engine.month_start('event_at') }} as month_start,
        case when event_type in ('cancel', 'cancellation', 'cancelled', 'canceled', 'churn') then 0
            else mrr_amount
        end as mrr_after,
        row_number() over (partition by subscription_id order by event_at, event_id) as subscription_event_number
    from events
),

with_previous as (
    select
        *,
        coalesce(
            lag(mrr_after) over (partition by subscription_id order by event_at, event_id), 0
        ) as mrr_before
    from with_subscription_mrr
),

with_account_mrr as (
    select
        *,
        mrr_after - mrr_before as mrr_change,
        sum(mrr_after - mrr_before) over (
            partition by account_id order by event_at, event_id
            rows between unbounded preceding and current row
        ) as account_mrr_after
    from with_previous
),

classified as (
    select
        *,
        account_mrr_after - mrr_change as account_mrr_before,
        case
            when subscription_event_number = 1 and mrr_after > 0 then 'new'
            when mrr_before > 0 and mrr_after = 0 then 'churn'
            when mrr_before = 0 and mrr_after > 0 then 'reactivation'
            when mrr_after > mrr_before then 'expansion'
            when mrr_after < mrr_before then 'contraction'
            else 'no_change'
        end as subscription_movement,
        case
            when account_mrr_after - mrr_change <= 0 and account_mrr_after > 0 then 'activation'
            when account_mrr_after - mrr_change > 0 and account_mrr_after <= 0 then 'churn'
        end as account_transition
    from with_account_mrr
)

select
    event_id,
    subscription_id,
    account_id,
    plan_id,
    event_type,
    event_at,
    month_start,
    mrr_before,
    mrr_after,
    mrr_change,
    account_mrr_before,
    account_mrr_after,
    subscription_movement,
    case
        when account_transition = 'activation'
            and count(case when account_transition = 'activation' then 1 end) over (
                partition by account_id order by event_at, event_id
                rows between unbounded preceding and current row
            ) = 1
            then 'new_customer'
        when account_transition = 'activation' then 'reactivation'
        else account_transition
    end as account_movement
from classified
