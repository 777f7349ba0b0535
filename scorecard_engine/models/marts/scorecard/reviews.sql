{#
    Strategy reviews (reviews.yml), one row per review: the scorecard and period reviewed, the
    meeting's date (null for a draft that `scorecard review prepare` wrote and the meeting has not
    yet held), chair and summary, and how much it recorded. Action counts come from review_actions,
    so "overdue" is that mart's rule (not done, due before the end of the scorecard's last month).
    The reviewed period's columns are named review_period_*, as in review_actions: they are not the
    scorecard periods that period_grain/period_start key in the other marts (and in file exports).
#}
with reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

agenda_counts as (
    select
        review_id,
        count(*) as agenda_items
    from {{ ref(project_name, 'cfg_review_agenda') }}
    group by review_id
),

decision_counts as (
    select
        review_id,
        count(*) as decisions
    from {{ ref(project_name, 'cfg_review_decisions') }}
    group by review_id
),

assumption_counts as (
    select
        review_id,
        count(*) as failed_assumptions
    from {{ ref(project_name, 'cfg_failed_assumptions') }}
    group by review_id
),

action_counts as (
    select
        review_id,
        count(*) as actions,
        sum(case when status in ('open', 'in_progress') then 1 else 0 end) as actions_open,
        sum(case when is_overdue then 1 else 0 end) as actions_overdue
    from {{ ref('review_actions') }}
    group by review_id
)

select
    cast(reviews.review_id as {{ dbt.type_string() }}) as review_id,
    cast(reviews.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(reviews.period_grain as {{ dbt.type_string() }}) as review_period_grain,
    cast(reviews.period_start as date) as review_period_start,
    cast(reviews.period_end as date) as review_period_end,
    cast(reviews.period_label as {{ dbt.type_string() }}) as review_period_label,
    cast(reviews.review_date as date) as review_date,
    cast(reviews.review_date is not null as {{ dbt.type_boolean() }}) as is_held,
    cast(coalesce(reviews.chair, '') as {{ dbt.type_string() }}) as chair,
    cast(coalesce(reviews.summary, '') as {{ dbt.type_string() }}) as summary,
    cast(coalesce(agenda_counts.agenda_items, 0) as integer) as agenda_items,
    cast(coalesce(decision_counts.decisions, 0) as integer) as decisions,
    cast(coalesce(assumption_counts.failed_assumptions, 0) as integer) as failed_assumptions,
    cast(coalesce(action_counts.actions, 0) as integer) as actions,
    cast(coalesce(action_counts.actions_open, 0) as integer) as actions_open,
    cast(coalesce(action_counts.actions_overdue, 0) as integer) as actions_overdue
from reviews
left join agenda_counts
    on reviews.review_id = agenda_counts.review_id
left join decision_counts
    on reviews.review_id = decision_counts.review_id
left join assumption_counts
    on reviews.review_id = assumption_counts.review_id
left join action_counts
    on reviews.review_id = action_counts.review_id
