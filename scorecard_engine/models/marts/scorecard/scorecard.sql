{#
    The scorecard: one row per scorecard × period grain × period × measure. Actuals come from
    measure_values filtered to the scorecard's segment (cfg_scorecard_measures), never recomputed;
    targets from int_scorecard_targets, trust from int_scorecard_measure_trust. Attainment, status
    and score follow macros/scorecard (measure_attainment, measure_status, measure_score).
    Comparisons (previous period, same period last year, N periods back) join the same scorecard
    measure at the same grain by date, so a gap can never pair the wrong periods.
#}
{%- set trend_periods = numeric_var('trend_window_periods', 3, whole_number=true, minimum=1) -%}
{%- set flat_tolerance = numeric_var('trend_flat_tolerance', 0.01, minimum=0) -%}
{#- The periods a row is compared with (alias: shift in months), same scorecard, measure and grain. -#}
{%- set comparisons = {
    'previous_period': '0 - ' ~ months_in_grain('scored.period_grain'),
    'last_year': '-12',
    'window_start': '0 - ' ~ trend_periods ~ ' * ' ~ months_in_grain('scored.period_grain'),
} -%}

with scorecard_measures as (
    select * from {{ ref(project_name, 'cfg_scorecard_measures') }}
),

scorecards as (
    select * from {{ ref(project_name, 'cfg_scorecards') }}
),

measures as (
    select * from {{ ref(project_name, 'cfg_measures') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

perspectives as (
    select * from {{ ref(project_name, 'cfg_perspectives') }}
),

thresholds as (
    select * from {{ ref(project_name, 'cfg_thresholds') }}
),

measure_values as (
    select * from {{ ref('measure_values') }}
),

measure_versions as (
    select * from {{ ref(project_name, 'cfg_measure_versions') }}
),

targets as (
    select * from {{ ref('int_scorecard_targets') }}
),

trust as (
    select * from {{ ref('int_scorecard_measure_trust') }}
),

scoped as (
    select
        scorecard_measures.scorecard_id,
        scorecard_measures.measure_id,
        scorecard_measures.objective_id,
        scorecard_measures.perspective_id,
        scorecard_measures.segment_dimension,
        scorecard_measures.segment_value,
        scorecard_measures.weight,
        measure_values.period_grain,
        measure_values.period_start,
        measure_values.period_end,
        measure_values.period_label,
        measure_values.value as actual,
        measure_values.config_version,
        measure_values.matures_on,
        {{ is_provisional('measure_values.matures_on') }} as is_provisional
    from scorecard_measures
    inner join measure_values
        on scorecard_measures.measure_id = measure_values.measure_id
        and scorecard_measures.segment_dimension = measure_values.segment_dimension
        and scorecard_measures.segment_value = measure_values.segment_value
),

evaluated as (
    select
        scoped.*,
        measures.direction,
        targets.target_value as target,
        trust.measure_id is null as is_trusted,
        trust.trust_note,
        thresholds.at_risk_below,
        thresholds.off_track_below,
        {{ measure_attainment('scoped.actual', 'targets.target_value', 'measures.direction') }} as attainment
    from scoped
    inner join measures
        on scoped.measure_id = measures.measure_id
    inner join thresholds
        on scoped.measure_id = thresholds.measure_id
    left join targets
        on {{ same_measure_value('scoped', 'targets') }}
    left join trust
        on scoped.measure_id = trust.measure_id
        and scoped.period_grain = trust.period_grain
        and scoped.period_start = trust.period_start
),

statused as (
    select
        evaluated.*,
        {{ measure_status(
            'evaluated.is_trusted', 'evaluated.actual', 'evaluated.target', 'evaluated.attainment',
            'evaluated.at_risk_below', 'evaluated.off_track_below', 'evaluated.is_provisional'
        ) }} as status
    from evaluated
),

scored as (
    select
        statused.*,
        {{ measure_score('statused.status', 'statused.attainment') }} as score
    from statused
),

compared as (
    select
        scored.*,
        previous_period.actual as previous_value,
        last_year.actual as same_period_last_year,
        window_start.actual as trend_base_value
    from scored
    {%- for compared_period, months_shift in comparisons.items() %}
        left join scoped as {{ compared_period }}
            on scored.scorecard_id = {{ compared_period }}.scorecard_id
            and scored.measure_id = {{ compared_period }}.measure_id
            and scored.period_grain = {{ compared_period }}.period_grain
            and {{ compared_period }}.period_start = {{ shift_months('scored.period_start', months_shift) }}
    {%- endfor %}
),

trended as (
    select
        compared.*,
        (compared.actual - compared.trend_base_value) * {{ direction_sign('compared.direction') }} as trend_change
    from compared
),

-- The definition in force on the period's last reported day (the end of a whole period, the
-- scorecard's last day for a to-date one): history is read with the definition it was measured by.
versioned as (
    select
        trended.*,
        measure_versions.definition as definition_in_force,
        measure_versions.version_number as definition_version
    from trended
    left join measure_versions
        on trended.measure_id = measure_versions.measure_id
        and measure_versions.effective_from <= least(trended.period_end, {{ scorecard_last_day() }})
        and (
            measure_versions.effective_to is null
            or measure_versions.effective_to >= least(trended.period_end, {{ scorecard_last_day() }})
        )
)

select
    cast(trended.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(scorecards.scorecard_name as {{ dbt.type_string() }}) as scorecard_name,
    {{ period_columns('trended') }},
    cast(trended.measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(measures.measure_name as {{ dbt.type_string() }}) as measure_name,
    cast(coalesce(trended.definition_in_force, measures.definition) as {{ dbt.type_string() }}) as definition,
    cast(trended.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(objectives.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(trended.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(perspectives.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(measures.owner as {{ dbt.type_string() }}) as owner,
    cast(measures.unit as {{ dbt.type_string() }}) as unit,
    cast(measures.direction as {{ dbt.type_string() }}) as direction,
    cast(measures.indicator_type as {{ dbt.type_string() }}) as indicator_type,
    cast(measures.measure_type as {{ dbt.type_string() }}) as measure_type,
    cast(coalesce(trended.weight, measures.weight) as {{ type_double() }}) as weight,
    cast(trended.segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(trended.segment_value as {{ dbt.type_string() }}) as segment_value,
    cast(trended.actual as {{ type_double() }}) as actual,
    cast(trended.target as {{ type_double() }}) as target,
    cast(trended.actual - trended.target as {{ type_double() }}) as variance,
    cast(trended.attainment as {{ type_double() }}) as attainment,
    cast(trended.status as {{ dbt.type_string() }}) as status,
    cast(trended.score as {{ type_double() }}) as score,
    cast(trended.previous_value as {{ type_double() }}) as previous_value,
    cast(trended.actual - trended.previous_value as {{ type_double() }}) as change_vs_previous,
    cast(trended.same_period_last_year as {{ type_double() }}) as same_period_last_year,
    cast(trended.actual - trended.same_period_last_year as {{ type_double() }}) as change_vs_last_year,
    cast({{ trend_periods }} as integer) as trend_periods,
    cast(trended.trend_change as {{ type_double() }}) as trend_change,
    cast(case
        when trended.trend_change is null then 'unknown'
        when abs(trended.trend_change) <= {{ flat_tolerance }} * abs(trended.trend_base_value) then 'flat'
        when trended.trend_change > 0 then 'improving'
        else 'declining'
    end as {{ dbt.type_string() }}) as trend_direction,
    cast(trended.is_trusted as {{ dbt.type_boolean() }}) as is_trusted,
    cast(trended.trust_note as {{ dbt.type_string() }}) as trust_note,
    cast(trended.config_version as {{ dbt.type_string() }}) as config_version,
    -- Complete: the whole period lies inside the scorecard's range. The quarter and year still
    -- running, and a fiscal year cut at the start of history, are to-date values, not whole ones.
    cast(
        {{ is_complete_period('trended.period_start', 'trended.period_end') }} as {{ dbt.type_boolean() }}
    ) as is_complete_period,
    cast(trended.is_provisional as {{ dbt.type_boolean() }}) as is_provisional,
    cast(trended.matures_on as date) as matures_on,
    cast(trended.definition_version as integer) as definition_version
from versioned as trended
inner join scorecards
    on trended.scorecard_id = scorecards.scorecard_id
inner join measures
    on trended.measure_id = measures.measure_id
inner join objectives
    on trended.objective_id = objectives.objective_id
inner join perspectives
    on trended.perspective_id = perspectives.perspective_id
