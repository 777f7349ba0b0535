{#
    Objective roll-up: one row per scorecard × period grain × period × objective. The score is the
    weighted average (scorecard weight) of its scored measures; the status follows
    macros/scorecard/rollup_status; the counts show how many measures sit in each status.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

rolled_up as (
    {{ rollup_scorecard_rows('scorecard_rows', [
        'scorecard_id', 'scorecard_name', 'period_grain', 'period_start', 'period_end', 'period_label',
        'objective_id', 'objective_name', 'perspective_id', 'perspective_name',
    ]) }}
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
    {{ rollup_result_columns('rolled_up') }},
    cast(rolled_up.measures_off_track > 0 as {{ dbt.type_boolean() }}) as has_off_track_measures,
    cast(rolled_up.is_complete_period as {{ dbt.type_boolean() }}) as is_complete_period
from rolled_up
inner join objectives
    on rolled_up.objective_id = objectives.objective_id
