{#
    Overdue initiative milestones: one finding per scorecard period × milestone that is overdue by
    macro is_overdue (the rule review actions follow) on the period's judged_on day, for every
    scorecard showing an objective the initiative serves. The finding names the first of those
    objectives in the initiative's list. The status is the milestone's current one.
#}
with milestones as (
    select * from {{ ref(project_name, 'cfg_initiative_milestones') }}
),

initiatives as (
    select * from {{ ref(project_name, 'cfg_initiatives') }}
),

objective_links as (
    select * from {{ ref(project_name, 'cfg_initiative_objectives') }}
),

objectives as (
    select objective_id, perspective_id from {{ ref(project_name, 'cfg_objectives') }}
),

scorecard_objectives as (
    select distinct scorecard_id, objective_id from {{ ref(project_name, 'cfg_scorecard_measures') }}
),

periods as (
    select * from {{ ref('int_scorecard_periods') }}
),

served as (
    select
        scorecard_objectives.scorecard_id,
        objective_links.initiative_id,
        objective_links.objective_id,
        row_number() over (
            partition by scorecard_objectives.scorecard_id, objective_links.initiative_id
            order by objective_links.display_order
        ) as objective_rank
    from objective_links
    inner join scorecard_objectives
        on objective_links.objective_id = scorecard_objectives.objective_id
)

select
    periods.scorecard_id,
    periods.period_grain,
    periods.period_start,
    periods.period_label,
    'overdue_milestone' as finding_type,
    'warning' as severity,
    {{ dbt.concat(['milestones.initiative_id', "'.'", 'milestones.milestone_id']) }} as subject,
    objectives.perspective_id,
    served.objective_id,
    cast(null as {{ dbt.type_string() }}) as measure_id,
    milestones.owner,
    {{ dbt.concat([
        "'Overdue milestone of the initiative \"'",
        'initiatives.initiative_name',
        "'\": \"'",
        'milestones.milestone_name',
        "'\" ('",
        'milestones.owner',
    ] + overdue_message_tail('milestones.due_date', 'milestones.status', 'periods.judged_on')) }} as message
from milestones
inner join initiatives
    on milestones.initiative_id = initiatives.initiative_id
inner join served
    on milestones.initiative_id = served.initiative_id
    and served.objective_rank = 1
inner join objectives
    on served.objective_id = objectives.objective_id
inner join periods
    on served.scorecard_id = periods.scorecard_id
    and {{ is_overdue('milestones.status', 'milestones.due_date', 'periods.judged_on') }}
