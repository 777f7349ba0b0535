{#
    Milestones of initiatives (cfg_initiative_milestones), one row per milestone, with whether it is
    overdue at the end of the scorecard's last month (var scorecard_last_month) by the same rule as
    review actions (macro is_overdue).
#}
with milestones as (
    select * from {{ ref(project_name, 'cfg_initiative_milestones') }}
),

initiatives as (
    select * from {{ ref(project_name, 'cfg_initiatives') }}
),

judged as (
    select
        milestones.*,
        initiatives.initiative_name,
        {{ scorecard_last_day() }} as judged_on,
        {{ is_overdue('milestones.status', 'milestones.due_date', scorecard_last_day()) }} as is_overdue
    from milestones
    inner join initiatives
        on milestones.initiative_id = initiatives.initiative_id
)

select
    cast(initiative_id as {{ dbt.type_string() }}) as initiative_id,
    cast(initiative_name as {{ dbt.type_string() }}) as initiative_name,
    cast(milestone_id as {{ dbt.type_string() }}) as milestone_id,
    cast(milestone_name as {{ dbt.type_string() }}) as milestone_name,
    cast(owner as {{ dbt.type_string() }}) as owner,
    cast(due_date as date) as due_date,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(is_overdue as {{ dbt.type_boolean() }}) as is_overdue,
    {{ days_overdue('is_overdue', 'due_date', 'judged_on') }} as days_overdue,
    cast(display_order as integer) as display_order
from judged
