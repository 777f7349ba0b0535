{#
    Perspective roll-up: one row per scorecard × period grain × period × perspective. The score is
    the weighted average of the perspective's measure scores directly (not of its objective
    scores), so a measure's weight means the same at every level and an objective with many
    measures is not diluted to one vote. Each measure counts with its weight times its objective's
    weight (macros weighted_scorecard_rows, rollup_weight; default 1). Counts by measure status and
    by objective show what the average hides.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

weighted_rows as (
    {{ weighted_scorecard_rows('scorecard_rows', ['objective']) }}
),

objective_rows as (
    select * from {{ ref('objective_scores') }}
),

perspectives as (
    select * from {{ ref(project_name, 'cfg_perspectives') }}
),

rolled_up as (
    {{ rollup_scorecard_rows('weighted_rows', ['perspective_id'], weight='rollup_weight') }}
),

objective_counts as (
    select
        scorecard_id,
        period_grain,
        period_start,
        perspective_id,
        {{ status_counts('status', ['off_track'], prefix='objectives') }}
    from objective_rows
    group by scorecard_id, period_grain, period_start, perspective_id
)

select
    cast(rolled_up.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(rolled_up.scorecard_name as {{ dbt.type_string() }}) as scorecard_name,
    {{ period_columns('rolled_up') }},
    cast(rolled_up.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(perspectives.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(perspectives.display_order as integer) as display_order,
    {{ rollup_result_columns('rolled_up') }},
    cast(objective_counts.objectives_total as integer) as objectives_total,
    cast(objective_counts.objectives_off_track as integer) as objectives_off_track,
    cast(rolled_up.is_complete_period as {{ dbt.type_boolean() }}) as is_complete_period,
    cast(perspectives.weight as {{ type_double() }}) as weight
from rolled_up
inner join perspectives
    on rolled_up.perspective_id = perspectives.perspective_id
inner join objective_counts
    on {{ same_scorecard_period('rolled_up', 'objective_counts') }}
    and rolled_up.perspective_id = objective_counts.perspective_id
