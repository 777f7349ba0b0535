-- Every account with the segment columns cascades slice by: region and customer segment from the
-- CRM snapshot, team = the current team of the account's customer-success owner. The CRM keeps
-- no history of segment, region or owner, so all three are "as of the latest snapshot".
-- Accounts without an owner (or whose owner has no team) fall in team 'unassigned'.
with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

owner_teams as (
    select employee_id, team
    from {{ ref('int_employee_team_history') }}
    where is_latest_assignment
),

joined as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.created_at,
        {{ scorecard_engine.month_start('accounts.created_at') }} as created_month,
        accounts.cs_owner_id,
        coalesce(owner_teams.team, 'unassigned') as team,
        coalesce(accounts.region, 'unknown') as region,
        coalesce(accounts.customer_segment, 'unknown') as customer_segment
    from accounts
    left join owner_teams
        on accounts.cs_owner_id = owner_teams.employee_id
)

select * from joined
