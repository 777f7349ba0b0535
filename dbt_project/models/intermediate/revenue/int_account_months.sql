-- One row per account and calendar month from the account's first subscription event to the last
-- scorecard month: MRR and activity at the start and end of the month, the month's MRR movements,
-- and MRR at the end of the same month a year earlier (for net revenue retention). The start of a
-- month is its first instant (events at exactly 00:00 UTC on the 1st belong to the new month); its
-- end is the first instant of the next month.
with subscription_periods as (
    select * from {{ ref('int_subscription_periods') }}
),

events as (
    select * from {{ ref('int_subscription_events_sequenced') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

months as (
    select
        month_start,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as next_month_start
    from {{ ref('int_calendar_months') }}
),

account_first_months as (
    select account_id, min(month_start) as first_month
    from events
    group by account_id
),

account_month_grid as (
    select
        account_first_months.account_id,
        months.month_start,
        months.next_month_start
    from account_first_months
    inner join months
        on months.month_start >= account_first_months.first_month
),

-- The MRR and active subscriptions of each account at the instants the grid reads: the start of
-- every month in it, which is also the end of the month before, and the end of its last month.
account_instants as (
    select account_id, month_start as instant_at
    from account_month_grid
    union
    select account_id, next_month_start as instant_at
    from account_month_grid
),

state_at_instant as (
    select
        account_instants.account_id,
        account_instants.instant_at,
        sum(subscription_periods.mrr) as mrr,
        count(case when subscription_periods.is_active then 1 end) as active_subscriptions
    from account_instants
    inner join subscription_periods
        on account_instants.account_id = subscription_periods.account_id
        and subscription_periods.valid_from < account_instants.instant_at
        and (
            subscription_periods.valid_until is null
            or subscription_periods.valid_until >= account_instants.instant_at
        )
    group by account_instants.account_id, account_instants.instant_at
),

movements as (
    select
        account_id,
        month_start,
        sum(case when subscription_movement = 'new' then mrr_change else 0 end) as new_mrr,
        sum(case when subscription_movement = 'expansion' then mrr_change else 0 end) as expansion_mrr,
        sum(case when subscription_movement = 'reactivation' then mrr_change else 0 end) as reactivation_mrr,
        sum(case when subscription_movement = 'contraction' then 0 - mrr_change else 0 end) as contraction_mrr,
        sum(case when subscription_movement = 'churn' then 0 - mrr_change else 0 end) as churned_mrr,
        max(case when account_movement = 'new_customer' then 1 else 0 end) as is_new_customer,
        max(case when account_movement = 'churn' then 1 else 0 end) as has_churned,
        max(case when account_movement = 'reactivation' then 1 else 0 end) as has_reactivated
    from events
    group by account_id, month_start
),

combined as (
    select
        grid.account_id,
        grid.month_start,
        accounts.team,
        accounts.region,
        accounts.customer_segment,
        coalesce(state_at_start.mrr, 0) as mrr_at_start,
        coalesce(state_at_end.mrr, 0) as mrr_at_end,
        coalesce(state_at_start.active_subscriptions, 0) > 0 as is_active_at_start,
        coalesce(state_at_end.active_subscriptions, 0) > 0 as is_active_at_end,
        coalesce(movements.new_mrr, 0) as new_mrr,
        coalesce(movements.expansion_mrr, 0) as expansion_mrr,
        coalesce(movements.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(movements.contraction_mrr, 0) as contraction_mrr,
        coalesce(movements.churned_mrr, 0) as churned_mrr,
        coalesce(movements.is_new_customer, 0) = 1 as is_new_customer,
        coalesce(movements.has_churned, 0) = 1 as has_churned,
        coalesce(movements.has_reactivated, 0) = 1 as has_reactivated
    from account_month_grid as grid
    left join state_at_instant as state_at_start
        on grid.account_id = state_at_start.account_id and grid.month_start = state_at_start.instant_at
    left join state_at_instant as state_at_end
        on grid.account_id = state_at_end.account_id and grid.next_month_start = state_at_end.instant_at
    left join movements
        on grid.account_id = movements.account_id and grid.month_start = movements.month_start
    left join accounts
        on grid.account_id = accounts.account_id
),

with_year_earlier as (
    select
        combined.*,
        coalesce(year_earlier.mrr_at_end, 0) as mrr_at_end_12_months_earlier
    from combined
    left join combined as year_earlier
        on combined.account_id = year_earlier.account_id
        and year_earlier.month_start = cast({{ dbt.dateadd('month', -12, 'combined.month_start') }} as date)
)

select
    account_id,
    month_start,
    coalesce(team, 'unassigned') as team,
    coalesce(region, 'unknown') as region,
    coalesce(customer_segment, 'unknown') as customer_segment,
    mrr_at_start,
    mrr_at_end,
    is_active_at_start,
    is_active_at_end,
    new_mrr,
    expansion_mrr,
    reactivation_mrr,
    contraction_mrr,
    churned_mrr,
    is_new_customer,
    has_churned,
    has_reactivated,
    mrr_at_end_12_months_earlier
from with_year_earlier
