{#
    Initiatives (cfg_initiatives), one row per initiative: dates, status, budget against the cost
    so far, and the state of its milestones as of the end of the scorecard's last month (overdue
    as judged by initiative_milestones).
#}
with initiatives as (
    select * from {{ ref(project_name, 'cfg_initiatives') }}
),

milestones as (
    select * from {{ ref('initiative_milestones') }}
),

objective_links as (
    select * from {{ ref(project_name, 'cfg_initiative_objectives') }}
),

milestone_counts as (
    select
        initiative_id,
        count(*) as milestones_total,
        sum(case when status = 'done' then 1 else 0 end) as milestones_done,
        sum(case when is_overdue then 1 else 0 end) as milestones_overdue,
        min(case when status in ('open', 'in_progress') then due_date end) as next_milestone_due_date
    from milestones
    group by initiative_id
),

objective_counts as (
    select
        initiative_id,
        count(*) as objectives_served
    from objective_links
    group by initiative_id
)

select
    cast(initiatives.initiative_id as {{ dbt.type_string() }}) as initiative_id,
    cast(initiatives.initiative_name as {{ dbt.type_string() }}) as initiative_name,
    cast(initiatives.owner as {{ dbt.type_string() }}) as owner,
    cast(initiatives.start_date as date) as start_date,
    cast(initiatives.end_date as date) as end_date,
    cast(initiatives.status as {{ dbt.type_string() }}) as status,
    cast(initiatives.description as {{ dbt.type_string() }}) as description,
    cast(initiatives.budget as {{ type_double() }}) as budget,
    cast(initiatives.actual_cost as {{ type_double() }}) as actual_cost,
    cast(initiatives.budget - initiatives.actual_cost as {{ type_double() }}) as budget_remaining,
    cast(coalesce(objective_counts.objectives_served, 0) as integer) as objectives_served,
    cast(coalesce(milestone_counts.milestones_total, 0) as integer) as milestones_total,
    cast(coalesce(milestone_counts.milestones_done, 0) as integer) as milestones_done,
    cast(coalesce(milestone_counts.milestones_overdue, 0) as integer) as milestones_overdue,
    cast(milestone_counts.next_milestone_due_date as date) as next_milestone_due_date,
    cast(initiatives.display_order as integer) as display_order
from initiatives
left join milestone_counts
    on initiatives.initiative_id = milestone_counts.initiative_id
left join objective_counts
    on initiatives.initiative_id = objective_counts.initiative_id
