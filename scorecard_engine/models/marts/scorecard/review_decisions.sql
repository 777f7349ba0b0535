{#
    Decisions taken in strategy reviews (reviews.yml decisions), one row per decision, with the
    review it was taken in and the names of the objective or measure it concerns.
#}
with decisions as (
    select * from {{ ref(project_name, 'cfg_review_decisions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

measures as (
    select * from {{ ref(project_name, 'cfg_measures') }}
)

select
    cast(decisions.review_id as {{ dbt.type_string() }}) as review_id,
    cast(reviews.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(reviews.period_label as {{ dbt.type_string() }}) as review_period_label,
    cast(reviews.review_date as date) as review_date,
    cast(decisions.decision_number as integer) as decision_number,
    cast(decisions.decision as {{ dbt.type_string() }}) as decision,
    cast(coalesce(decisions.owner, '') as {{ dbt.type_string() }}) as owner,
    cast(decisions.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(objectives.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(decisions.measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(measures.measure_name as {{ dbt.type_string() }}) as measure_name
from decisions
inner join reviews
    on decisions.review_id = reviews.review_id
left join objectives
    on decisions.objective_id = objectives.objective_id
left join measures
    on decisions.measure_id = measures.measure_id
