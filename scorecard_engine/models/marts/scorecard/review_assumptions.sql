{#
    Strategy-map assumptions a review judged failed (reviews.yml failed_assumptions), one row per
    review and link, beside what the data says about the link: the evidence verdict of the
    strategy map for the reviewed scorecard at the period reviewed, and as of the scorecard's last
    month (strategy_map.evidence_*), so each later period shows whether the data still contradicts
    it. Both are null when the link is not on that scorecard's map (one end has no measures there).
#}
with failed_assumptions as (
    select * from {{ ref(project_name, 'cfg_failed_assumptions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

links as (
    select * from {{ ref(project_name, 'cfg_strategy_links') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

map_rows as (
    select * from {{ ref('strategy_map') }}
),

latest_months as (
    select
        scorecard_id,
        max(period_start) as period_start
    from map_rows
    where period_grain = 'month'
    group by scorecard_id
),

current_evidence as (
    select map_rows.*
    from map_rows
    inner join latest_months
        on map_rows.scorecard_id = latest_months.scorecard_id
        and map_rows.period_start = latest_months.period_start
    where map_rows.period_grain = 'month'
)

select
    cast(failed_assumptions.review_id as {{ dbt.type_string() }}) as review_id,
    cast(reviews.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(reviews.period_label as {{ dbt.type_string() }}) as review_period_label,
    cast(reviews.review_date as date) as review_date,
    cast(failed_assumptions.link_id as {{ dbt.type_string() }}) as link_id,
    cast(failed_assumptions.cause_objective_id as {{ dbt.type_string() }}) as cause_objective_id,
    cast(causes.objective_name as {{ dbt.type_string() }}) as cause_objective_name,
    cast(failed_assumptions.effect_objective_id as {{ dbt.type_string() }}) as effect_objective_id,
    cast(effects.objective_name as {{ dbt.type_string() }}) as effect_objective_name,
    cast(effects.owner as {{ dbt.type_string() }}) as effect_objective_owner,
    cast(links.assumption as {{ dbt.type_string() }}) as assumption,
    cast(failed_assumptions.note as {{ dbt.type_string() }}) as note,
    cast(at_review.evidence_verdict as {{ dbt.type_string() }}) as evidence_verdict_at_review,
    cast(current_evidence.period_label as {{ dbt.type_string() }}) as evidence_period_label,
    cast(current_evidence.evidence_verdict as {{ dbt.type_string() }}) as evidence_verdict,
    cast(current_evidence.evidence_lag_months as integer) as evidence_lag_months,
    cast(current_evidence.evidence_pairs as integer) as evidence_pairs,
    cast(current_evidence.evidence_detrended_correlation as {{ type_double() }}) as evidence_detrended_correlation,
    cast(current_evidence.evidence_correlation_low as {{ type_double() }}) as evidence_correlation_low,
    cast(current_evidence.evidence_correlation_high as {{ type_double() }}) as evidence_correlation_high
from failed_assumptions
inner join reviews
    on failed_assumptions.review_id = reviews.review_id
inner join links
    on failed_assumptions.link_id = links.link_id
inner join objectives as causes
    on failed_assumptions.cause_objective_id = causes.objective_id
inner join objectives as effects
    on failed_assumptions.effect_objective_id = effects.objective_id
left join map_rows as at_review
    on reviews.scorecard_id = at_review.scorecard_id
    and reviews.period_grain = at_review.period_grain
    and cast(reviews.period_start as date) = at_review.period_start
    and failed_assumptions.cause_objective_id = at_review.cause_objective_id
    and failed_assumptions.effect_objective_id = at_review.effect_objective_id
left join current_evidence
    on reviews.scorecard_id = current_evidence.scorecard_id
    and failed_assumptions.cause_objective_id = current_evidence.cause_objective_id
    and failed_assumptions.effect_objective_id = current_evidence.effect_objective_id
