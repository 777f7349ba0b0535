{#
    Assumptions that did not hold, one finding per scorecard period × strategy-map link:
    - failed_assumption: a review judged the link failed (cfg_failed_assumptions), in every period
      that ends after the reviewed period, on every scorecard whose strategy map shows the link;
    - contradicted_assumption: the data contradicts the link (strategy_map.evidence_verdict
      'contradicted': when the cause's measure improved, the effect's worsened at the best lag, the
      adjusted interval wholly below 0), so the next review can judge it.
    Owner: the effect objective's owner, who answers for the outcome the assumption promised.
#}
with failed_assumptions as (
    select * from {{ ref(project_name, 'cfg_failed_assumptions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

map_rows as (
    select * from {{ ref('strategy_map') }}
),

measures as (
    select * from {{ ref(project_name, 'cfg_measures') }}
)

select
    map_rows.scorecard_id,
    map_rows.period_grain,
    map_rows.period_start,
    map_rows.period_label,
    'failed_assumption' as finding_type,
    'warning' as severity,
    {{ dbt.concat(['failed_assumptions.review_id', "':'", 'failed_assumptions.link_id']) }} as subject,
    map_rows.effect_perspective_id as perspective_id,
    map_rows.effect_objective_id as objective_id,
    cast(null as {{ dbt.type_string() }}) as measure_id,
    effect_objectives.owner,
    {{ dbt.concat([
        "'The '",
        'reviews.period_label',
        "' review judged the assumption \"'",
        'map_rows.assumption',
        "'\" ('",
        'map_rows.cause_objective_name',
        "' → '",
        'map_rows.effect_objective_name',
        "') failed: '",
        "coalesce(failed_assumptions.note, 'no note recorded.')"
    ]) }} as message
from failed_assumptions
inner join reviews
    on failed_assumptions.review_id = reviews.review_id
inner join map_rows
    on failed_assumptions.cause_objective_id = map_rows.cause_objective_id
    and failed_assumptions.effect_objective_id = map_rows.effect_objective_id
    and map_rows.period_end > cast(reviews.period_end as date)
inner join objectives as effect_objectives
    on map_rows.effect_objective_id = effect_objectives.objective_id

union all

select
    map_rows.scorecard_id,
    map_rows.period_grain,
    map_rows.period_start,
    map_rows.period_label,
    'contradicted_assumption' as finding_type,
    'warning' as severity,
    {{ dbt.concat(['map_rows.cause_objective_id', "'→'", 'map_rows.effect_objective_id']) }} as subject,
    map_rows.effect_perspective_id as perspective_id,
    map_rows.effect_objective_id as objective_id,
    cast(null as {{ dbt.type_string() }}) as measure_id,
    effect_objectives.owner,
    {{ dbt.concat([
        "'The data contradicts the assumption \"'",
        'map_rows.assumption',
        "'\" ('",
        'map_rows.cause_objective_name',
        "' → '",
        'map_rows.effect_objective_name',
        "'): when '",
        'cause_measures.measure_name',
        "' was better, '",
        'effect_measures.measure_name',
        "' was worse '",
        whole_number_text('map_rows.evidence_lag_months'),
        "' months later (detrended correlation '",
        two_decimal_text('map_rows.evidence_detrended_correlation'),
        "', 95% interval '",
        two_decimal_text('map_rows.evidence_correlation_low'),
        "' to '",
        two_decimal_text('map_rows.evidence_correlation_high'),
        "', '",
        whole_number_text('map_rows.evidence_pairs'),
        "' pairs).'"
    ]) }} as message
from map_rows
inner join objectives as effect_objectives
    on map_rows.effect_objective_id = effect_objectives.objective_id
inner join measures as cause_measures
    on map_rows.evidence_cause_measure_id = cause_measures.measure_id
inner join measures as effect_measures
    on map_rows.evidence_effect_measure_id = effect_measures.measure_id
where map_rows.evidence_verdict = 'contradicted'
