{#
    Leading-indicator early warnings: a leading measure whose direction-adjusted value declined in
    each of the last N periods of a grain (var early_warning_periods, default 2) while at least one
    lagging measure of an objective it drives is still on_track in the same period. "Drives" is
    transitive along the strategy map (cfg_strategy_links): a driver two hops upstream of an outcome
    warns about it too, since the map claims the effect travels along the chain. The map has no
    cycles (validated), so following at most var strategy_map_max_hops (default 10) links reaches
    every downstream objective of any real map.
    One finding per scorecard × period × leading measure, naming the lagging measures at risk.
#}
{%- set decline_periods = numeric_var('early_warning_periods', 2, whole_number=true, minimum=1) -%}
{%- set max_hops = numeric_var('strategy_map_max_hops', 10, whole_number=true, minimum=1) -%}

with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

links as (
    select cause_objective_id, effect_objective_id from {{ ref(project_name, 'cfg_strategy_links') }}
),

paths_1 as (
    select cause_objective_id, effect_objective_id from links
),
{%- for hop in range(2, max_hops + 1) %}

    paths_{{ hop }} as (
        select
            paths_{{ hop - 1 }}.cause_objective_id,
            links.effect_objective_id
        from paths_{{ hop - 1 }}
        inner join links
            on paths_{{ hop - 1 }}.effect_objective_id = links.cause_objective_id
    ),
{%- endfor %}

downstream as (
    {%- for hop in range(1, max_hops + 1) %}
        select cause_objective_id, effect_objective_id from paths_{{ hop }}
        {%- if not loop.last %}
            union
        {%- endif %}
    {%- endfor %}
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
        case
            when (actual - previous_value) * {{ direction_sign('direction') }} < 0 then 1 else 0
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
        lagging.measure_name as lagging_measure_name
    from declining
    inner join downstream
        on declining.objective_id = downstream.cause_objective_id
    inner join scorecard_rows as lagging
        on declining.scorecard_id = lagging.scorecard_id
        and declining.period_grain = lagging.period_grain
        and declining.period_start = lagging.period_start
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
        count(*) as lagging_measure_count,
        {{ dbt.listagg('lagging_measure_name', "', '", 'order by lagging_measure_name') }} as lagging_measure_names
    from (
        select distinct scorecard_id, period_grain, period_start, measure_id, lagging_measure_name
        from outcomes_on_track
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
        "' still on track: expect the outcome to follow unless the driver recovers.'"
    ]) }} as message
from declining
inner join lagging_names
    on declining.scorecard_id = lagging_names.scorecard_id
    and declining.period_grain = lagging_names.period_grain
    and declining.period_start = lagging_names.period_start
    and declining.measure_id = lagging_names.measure_id
