{#
    Objective roll-up: one row per scorecard × period grain × period × objective. The score is the
    weighted average (scorecard weight) of its scored measures; the status follows
    macros/scorecard/rollup_status; the counts show how many measures sit in each status.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

objectives as (
    select * from {{ ref('cfg_objectives') }}
),

rolled_up as (
    select
        scorecard_id,
        scorecard_name,
        period_grain,
        period_start,
        period_end,
        period_label,
        objective_id,
        objective_name,
        perspective_id,
        perspective_name,
        {{ weighted_score('score', 'weight') }} as score,
        {{ status_counts('status') }}
    from scorecard_rows
    group by
        scorecard_id,
        scorecard_name,
        period_grain,
        period_start,
        period_end,
        period_label,
        objective_id,
        objective_name,
        perspective_id,
        perspective_name
),

statused as (
    select
        rolled_up.*,
        {{ rollup_status('rolled_up.score', 'rolled_up.measures_total', 'rolled_up.measures_untrusted') }} as status
    from rolled_up
)

select
    cast(rolled_up.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(rolled_up.scorecard_name as {{ dbt.type_string() }}) as scorecard_name,
    cast(rolled_up.period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(rolled_up.period_start as date) as period_start,
    cast(rolled_up.period_end as date) as period_end,
    cast(rolled_up.period_label as {{ dbt.type_string() }}) as period_label,
    cast(rolled_up.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(rolled_up.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(rolled_up.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(rolled_up.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(objectives.owner as {{ dbt.type_string() }}) as owner,
    cast(rolled_up.score as {{ type_double() }}) as score,
    cast(rolled_up.status as {{ dbt.type_string() }}) as status,
    cast(rolled_up.measures_total as integer) as measures_total,
    cast(rolled_up.measures_on_track as integer) as measures_on_track,
    cast(rolled_up.measures_at_risk as integer) as measures_at_risk,
    cast(rolled_up.measures_off_track as integer) as measures_off_track,
    cast(rolled_up.measures_no_data as integer) as measures_no_data,
    cast(rolled_up.measures_no_target as integer) as measures_no_target,
    cast(rolled_up.measures_untrusted as integer) as measures_untrusted,
    cast(rolled_up.measures_off_track > 0 as {{ dbt.type_boolean() }}) as has_off_track_measures
from statused as rolled_up
inner join objectives
    on rolled_up.objective_id = objectives.objective_id
