{#
    Actions agreed in strategy reviews, one row per action, with whether it is overdue as of the
    end of the scorecard's last month (var scorecard_last_month): not done (open or in_progress;
    cancelled actions are not chased) and due before that day (macro is_overdue).
#}
with actions as (
    select * from {{ ref(project_name, 'cfg_review_actions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

judged as (
    select
        actions.*,
        reviews.review_date,
        reviews.period_label as review_period_label,
        {{ scorecard_last_day() }} as judged_on,
        {{ is_overdue('actions.status', 'actions.due_date', scorecard_last_day()) }} as is_overdue
    from actions
    inner join reviews
        on actions.review_id = reviews.review_id
)

select
    cast(review_id as {{ dbt.type_string() }}) as review_id,
    cast(review_date as date) as review_date,
    cast(review_period_label as {{ dbt.type_string() }}) as review_period_label,
    cast(action_id as {{ dbt.type_string() }}) as action_id,
    cast(action as {{ dbt.type_string() }}) as description,
    cast(owner as {{ dbt.type_string() }}) as owner,
    cast(due_date as date) as due_date,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(is_overdue as {{ dbt.type_boolean() }}) as is_overdue,
    {{ days_overdue('is_overdue', 'due_date', 'judged_on') }} as days_overdue
from judged
