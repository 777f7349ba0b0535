{#
    Overdue review actions: one finding per scorecard period × action agreed in a review of that
    scorecard (cfg_reviews.scorecard_id) that is overdue by macro is_overdue (not done, i.e. open or
    in_progress, and due before the period's judged_on day: its end, or the end of the scorecard's
    last month for a period still running). The status is the action's current one: config keeps
    no history of when an action was done.
#}
with actions as (
    select * from {{ ref(project_name, 'cfg_review_actions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

measures as (
    select measure_id, objective_id, perspective_id from {{ ref(project_name, 'cfg_measures') }}
),

objectives as (
    select objective_id, perspective_id from {{ ref(project_name, 'cfg_objectives') }}
),

periods as (
    select * from {{ ref('int_scorecard_periods') }}
)

select
    periods.scorecard_id,
    periods.period_grain,
    periods.period_start,
    periods.period_label,
    'overdue_action' as finding_type,
    'warning' as severity,
    actions.action_id as subject,
    coalesce(objectives.perspective_id, measures.perspective_id) as perspective_id,
    coalesce(actions.objective_id, measures.objective_id) as objective_id,
    actions.measure_id,
    actions.owner,
    {{ dbt.concat([
        "'Overdue action from the '",
        'reviews.period_label',
        "' review: \"'",
        'actions.action',
        "'\" ('",
        'actions.owner',
    ] + overdue_message_tail('actions.due_date', 'actions.status', 'periods.judged_on')) }} as message
from actions
inner join reviews
    on actions.review_id = reviews.review_id
inner join periods
    on reviews.scorecard_id = periods.scorecard_id
    and {{ is_overdue('actions.status', 'actions.due_date', 'periods.judged_on') }}
left join objectives
    on actions.objective_id = objectives.objective_id
left join measures
    on actions.measure_id = measures.measure_id
