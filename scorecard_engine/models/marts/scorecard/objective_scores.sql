{#
    Objective roll-up: one row per scorecard × period grain × period × objective. The score is the
    weighted average (scorecard weight) of its scored measures; its own weight (strategy.yml,
    default 1) counts only above it, in perspective_scores and the overall score; the status follows
    macros/scorecard/rollup_status; the counts show how many measures sit in each status.

    An objective whose measures all report quarterly has no measures in a month. So that the monthly
    strategy map and counts still show every objective, its month rows carry the roll-up of its
    latest complete fiscal quarter ended by the month's end, labelled by measured_period_label (the
    period actually measured). A month before its first complete quarter has no row.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

rolled_up as (
    {{ rollup_scorecard_rows(
        'scorecard_rows', ['objective_id', 'objective_name', 'perspective_id', 'perspective_name']
    ) }}
),

measured as (
    select
        rolled_up.*,
        rolled_up.period_label as measured_period_label
    from rolled_up
),

months as (
    select distinct scorecard_id, scorecard_name, period_grain, period_start, period_end, period_label
    from rolled_up
    where period_grain = 'month'
),

quarterly_only as (
    select scorecard_id, objective_id
    from rolled_up
    group by scorecard_id, objective_id
    having sum(case when period_grain = 'month' then 1 else 0 end) = 0
),

latest_quarter as (
    select
        months.scorecard_id,
        months.scorecard_name,
        months.period_grain,
        months.period_start,
        months.period_end,
        months.period_label,
        quarters.objective_id,
        quarters.objective_name,
        quarters.perspective_id,
        quarters.perspective_name,
        quarters.score,
        quarters.untrusted_weight_share,
        quarters.is_complete_period,
        quarters.measures_total,
        {%- for counted in rollup_counted_statuses() %}
            quarters.measures_{{ counted }},
        {%- endfor %}
        quarters.period_label as measured_period_label,
        row_number() over (
            partition by months.scorecard_id, months.period_start, quarters.objective_id
            order by quarters.period_start desc
        ) as recency
    from months
    inner join quarterly_only
        on months.scorecard_id = quarterly_only.scorecard_id
    inner join rolled_up as quarters
        on quarterly_only.scorecard_id = quarters.scorecard_id
        and quarterly_only.objective_id = quarters.objective_id
        and quarters.period_grain = 'quarter'
        and quarters.is_complete_period
        and quarters.period_end <= months.period_end
),

with_carried as (
    select * from measured
    union all
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
        score,
        untrusted_weight_share,
        is_complete_period,
        measures_total,
        {%- for counted in rollup_counted_statuses() %}
            measures_{{ counted }},
        {%- endfor %}
        measured_period_label
    from latest_quarter
    where recency = 1
)

select
    cast(rolled_up.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(rolled_up.scorecard_name as {{ dbt.type_string() }}) as scorecard_name,
    {{ period_columns('rolled_up') }},
    cast(rolled_up.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(rolled_up.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(rolled_up.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(rolled_up.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(objectives.owner as {{ dbt.type_string() }}) as owner,
    {{ rollup_result_columns('rolled_up') }},
    cast(rolled_up.measures_off_track > 0 as {{ dbt.type_boolean() }}) as has_off_track_measures,
    cast(rolled_up.is_complete_period as {{ dbt.type_boolean() }}) as is_complete_period,
    cast(rolled_up.measured_period_label as {{ dbt.type_string() }}) as measured_period_label,
    cast(objectives.weight as {{ type_double() }}) as weight
from with_carried as rolled_up
inner join objectives
    on rolled_up.objective_id = objectives.objective_id
