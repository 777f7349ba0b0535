{#
    Leading-indicator early warnings: a leading measure whose direction-adjusted value declined in
    each of the last N periods of a grain (var early_warning_periods, default 2) while at least one
    lagging measure of an objective it drives is still on_track in the same period. "Drives" is
    transitive along the strategy map (cfg_strategy_links): a driver two hops upstream of an outcome
    warns about it too, since the map claims the effect travels along the chain. The map has no
    cycles (validated), so following at most var strategy_map_max_hops (default 10) links reaches
    every downstream objective of any real map.
    A decline counts only when it is material: worse than var early_warning_min_decline (default
    0.02, i.e. 2%) of the previous value, so noise does not raise alarms; a provisional value (its
    observation window still open) never counts. The links' lag_months add up along a path, and the
    message says how soon the map expects the outcome to follow (the shortest path's lag).
    One finding per scorecard × period × leading measure, naming the lagging measures at risk.
#}
{%- set decline_periods = numeric_var('early_warning_periods', 2, whole_number=true, minimum=1) -%}
{%- set max_hops = numeric_var('strategy_map_max_hops', 10, whole_number=true, minimum=1) -%}
{%- set min_decline = numeric_var('early_warning_min_decline', 0.02, minimum=0) -%}

with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

links as (
    select
        cause_objective_id,
        effect_objective_id,
        coalesce(lag_months, 0) as lag_months
    from {{ ref(project_name, 'cfg_strategy_links') }}
),

paths_1 as (
    select cause_objective_id, effect_objective_id, lag_months from links
),
{%- for hop in range(2, max_hops + 1) %}

    paths_{{ hop }} as (
        select
            paths_{{ hop - 1 }}.cause_objective_id,
            links.effect_objective_id,
            paths_{{ hop - 1 }}.lag_months + links.lag_months as lag_months
        from paths_{{ hop - 1 }}
        inner join links
            on paths_{{ hop - 1 }}.effect_objective_id = links.cause_objective_id
    ),
{%- endfor %}

all_paths as (
    {%- for hop in range(1, max_hops + 1) %}
        select cause_objective_id, effect_objective_id, lag_months from paths_{{ hop }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

downstream as (
    select
        cause_objective_id,
        effect_objective_id,
        min(lag_months) as lag_months
    from all_paths
    group by cause_objective_id, effect_objective_id
),

leading_changes as (
    select
        scorecard_id,
        period_grain,
        period_start,
        period_label,
        measure_id,
        measure_name,
        objective_id,
        perspective_id,
        owner,
        -- A provisional value (its observation window still open) is expected to move: not a decline.
        case
            when status = 'provisional' then 0
            when (actual - previous_value) * {{ direction_sign('direction') }} < 0
                and (actual - previous_value) * {{ direction_sign('direction') }}
                < 0 - {{ min_decline }} * abs(previous_value)
                then 1
            else 0
        end as is_decline
    from scorecard_rows
    where indicator_type = 'leading'
),

leading_streaks as (
    select
        leading_changes.*,
        sum(is_decline) over (
            partition by scorecard_id, measure_id, period_grain
            order by period_start
            rows between {{ decline_periods - 1 }} preceding and current row
        ) as declines_in_window
    from leading_changes
),

declining as (
    select * from leading_streaks
    where declines_in_window = {{ decline_periods }}
),

outcomes_on_track as (
    select
        declining.scorecard_id,
        declining.period_grain,
        declining.period_start,
        declining.measure_id,
        lagging.measure_name as lagging_measure_name,
        downstream.lag_months
    from declining
    inner join downstream
        on declining.objective_id = downstream.cause_objective_id
    inner join scorecard_rows as lagging
        on {{ same_scorecard_period('declining', 'lagging') }}
        and downstream.effect_objective_id = lagging.objective_id
    where lagging.indicator_type = 'lagging'
        and lagging.status = 'on_track'
),

lagging_names as (
    select
        scorecard_id,
        period_grain,
        period_start,
        measure_id,
        count(distinct lagging_measure_name) as lagging_measure_count,
        min(lag_months) as lag_months,
        {{ scorecard_engine.ordered_listagg('lagging_measure_name', "', '", ['lagging_measure_name']) }} as lagging_measure_names
    from (
        select
            scorecard_id,
            period_grain,
            period_start,
            measure_id,
            lagging_measure_name,
            min(lag_months) as lag_months
        from outcomes_on_track
        group by scorecard_id, period_grain, period_start, measure_id, lagging_measure_name
    ) as distinct_outcomes
    group by scorecard_id, period_grain, period_start, measure_id
)

select
    declining.scorecard_id,
    declining.period_grain,
    declining.period_start,
    declining.period_label,
    'early_warning' as finding_type,
    'warning' as severity,
    declining.measure_id as subject,
    declining.perspective_id,
    declining.objective_id,
    declining.measure_id,
    declining.owner,
    {{ dbt.concat([
        'declining.measure_name',
        "' (a leading indicator) has worsened for " ~ decline_periods ~ " consecutive '",
        grain_plural('declining.period_grain'),
        "' while '",
        'lagging_names.lagging_measure_names',
        "', which it drives through the strategy map, '",
        "case when lagging_names.lagging_measure_count > 1 then 'are' else 'is' end",
        "' still on track: the map expects the effect '",
        "case when lagging_names.lag_months = 0 then 'in the same month' when lagging_names.lag_months = 1 "
        ~ "then 'within 1 month' else " ~ dbt.concat(["'within '", whole_number_text('lagging_names.lag_months'), "' months'"]) ~ " end",
        "', so expect the outcome to follow unless the driver recovers.'"
    ]) }} as message
from declining
inner join lagging_names
    on {{ same_scorecard_period('declining', 'lagging_names') }}
    and declining.measure_id = lagging_names.measure_id
