-- The onboarding funnel per account: when each of the four milestones was first reached (UTC) and
-- whether all four were reached within 30 days (30 × 24 h) of the account's creation. Accounts
-- created recently are counted as not (yet) onboarded until they complete.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

milestones as (
    select
        account_id,
        min(case when milestone = 'workspace_configured' then occurred_at end) as workspace_configured_at,
        min(case when milestone = 'data_source_connected' then occurred_at end) as data_source_connected_at,
        min(case when milestone = 'teammate_invited' then occurred_at end) as teammate_invited_at,
        min(case when milestone = 'first_dashboard_built' then occurred_at end) as first_dashboard_built_at
    from {{ ref('stg_product__onboarding_events') }}
    group by account_id
),

funnel as (
    select
        accounts.account_id,
        accounts.created_at,
        accounts.created_month,
        accounts.team,
        accounts.region,
        accounts.customer_segment,
        milestones.workspace_configured_at,
        milestones.data_source_connected_at,
        milestones.teammate_invited_at,
        milestones.first_dashboard_built_at,
        {{ dbt.dateadd('day', 30, 'accounts.created_at') }} as onboarding_deadline_at
    from accounts
    left join milestones
        on accounts.account_id = milestones.account_id
)

select
    account_id,
    created_at,
    created_month,
    team,
    region,
    customer_segment,
    workspace_configured_at,
    data_source_connected_at,
    teammate_invited_at,
    first_dashboard_built_at,
    (case when workspace_configured_at <= onboarding_deadline_at then 1 else 0 end)
    + (case when data_source_connected_at <= onboarding_deadline_at then 1 else 0 end)
    + (case when teammate_invited_at <= onboarding_deadline_at then 1 else 0 end)
    + (case when first_dashboard_built_at <= onboarding_deadline_at then 1 else 0 end)
        as milestones_within_30_days,
    coalesce(
        workspace_configured_at <= onboarding_deadline_at
        and data_source_connected_at <= onboarding_deadline_at
        and teammate_invited_at <= onboarding_deadline_at
        and first_dashboard_built_at <= onboarding_deadline_at,
        false
    ) as is_onboarded_within_30_days
from funnel
