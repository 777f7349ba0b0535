{#
    Implausible measure values in the restatement window (the periods a run recomputes): one row per
    value that fails the measure's plausibility gate (cfg_measures, from measures.yml
    `plausibility:`), each with the check it failed.

    bounds    any grain, any segment: a value below plausible_min or above plausible_max (by default
              the unit's: a percent within 0…1, a count or duration not negative).
    jump      the company total at the measure's own frequency (month, or quarter for quarterly
              measures): its change from the previous period lies more than max_jump robust
              standard deviations from the measure's usual change. The change is relative (ln of
              value ÷ previous value) for a measure whose values are all positive, so a growing
              business's ever larger steps stay alike; otherwise the difference. "Usual" is learnt
              from the 24 changes before the period: their median, and 1.4826 × their median
              absolute deviation (the robust standard deviation; 1.2533 × the mean absolute
              deviation when more than half the changes are equal, per Iglewicz and Hoaglin). One
              wild month barely moves a median, so a later period is still judged fairly. A period
              with less than a year of earlier changes (12 months; 8 quarters, two years, as four
              points make no spread), or whose earlier changes never vary, is not jump-tested: a
              young business's first months are too few and too lumpy to call a change unusual.

    Dagster's plausibility check reads this table after every build: a failure of a measure whose
    gate says `block` stops the run before publishing, naming the source rows that moved the value
    most; one that says `untrust` publishes the period untrusted (int_scorecard_measure_trust).
#}
{%- set window_start = restatement_window_start() -%}

with measures as (
    select
        measure_id,
        measure_name,
        unit,
        {{ own_grain('frequency') }} as own_grain,
        plausible_min,
        plausible_max,
        max_jump,
        on_implausible
    from {{ ref(project_name, 'cfg_measures') }}
),

measure_values as (
    select
        {{ scorecard_engine.measure_value_columns('measure_values') | indent(8) }},
        measure_values.value
    from {{ ref('measure_values') }} as measure_values
    where measure_values.value is not null
),

out_of_bounds as (
    select
        measure_values.*,
        cast(null as {{ type_double() }}) as previous_value,
        cast(null as {{ type_double() }}) as change,
        cast(null as {{ type_double() }}) as typical_change,
        cast(null as {{ type_double() }}) as change_spread,
        cast(null as {{ type_double() }}) as jump_score,
        case when measure_values.value < measures.plausible_min then 'below_min' else 'above_max' end
            as failed_check
    from measure_values
    inner join measures
        on measure_values.measure_id = measures.measure_id
    where
        measure_values.period_end >= {{ window_start }}
        and (measure_values.value < measures.plausible_min or measure_values.value > measures.plausible_max)
),

-- The company total at the measure's own frequency, with its previous value.
lagged as (
    select
        measure_values.*,
        lag(measure_values.value) over (
            partition by measure_values.measure_id order by measure_values.period_start
        ) as previous_value,
        min(measure_values.value) over (partition by measure_values.measure_id) > 0 as is_positive
    from measure_values
    inner join measures
        on
        measure_values.measure_id = measures.measure_id
        and measure_values.period_grain = measures.own_grain
    where measure_values.segment_dimension = 'all' and measures.max_jump is not null
),

-- A measure whose values are all positive changes relatively (the log of the ratio: a business
-- growing 5% a month makes ever larger steps that are all alike); one that reaches 0 or below
-- changes by differences.
series as (
    select
        lagged.*,
        case
            when lagged.is_positive then ln(lagged.value) - ln(lagged.previous_value)
            else lagged.value - lagged.previous_value
        end as change
    from lagged
    where lagged.previous_value is not null
),

tested as (
    select * from series
    where period_end >= {{ window_start }}
),

-- Each tested period's history: the 24 changes before it (earlier tested periods included, so a
-- first build or a full refresh tests every period against its own past).
history as (
    select
        measure_id,
        period_start,
        change
    from (
        select
            tested.measure_id,
            tested.period_start,
            earlier.change,
            row_number() over (
                partition by tested.measure_id, tested.period_start order by earlier.period_start desc
            ) as recency
        from tested
        inner join series as earlier
            on
            tested.measure_id = earlier.measure_id
            and earlier.period_start < tested.period_start
    ) as ranked
    where recency <= 24
),

typical as (
    select
        measure_id,
        period_start,
        {{ median('change') }} as typical_change,
        count(*) as history_changes
    from history
    group by measure_id, period_start
),

spread as (
    select
        history.measure_id,
        history.period_start,
        {{ median('abs(history.change - typical.typical_change)') }} as median_deviation,
        avg(abs(history.change - typical.typical_change)) as mean_deviation
    from history
    inner join typical
        on history.measure_id = typical.measure_id and history.period_start = typical.period_start
    group by history.measure_id, history.period_start
),

scored as (
    select
        tested.measure_id,
        tested.period_grain,
        tested.period_start,
        tested.period_end,
        tested.period_label,
        tested.segment_dimension,
        tested.segment_value,
        tested.value,
        tested.previous_value,
        tested.change,
        typical.typical_change,
        case
            when spread.median_deviation > 0 then 1.4826 * spread.median_deviation
            when spread.mean_deviation > 0 then 1.2533 * spread.mean_deviation
        end as change_spread
    from tested
    inner join typical
        on tested.measure_id = typical.measure_id and tested.period_start = typical.period_start
    inner join spread
        on tested.measure_id = spread.measure_id and tested.period_start = spread.period_start
    where typical.history_changes >= case when tested.period_grain = 'quarter' then 8 else 12 end
),

jumps as (
    select
        scored.*,
        abs(scored.change - scored.typical_change) / scored.change_spread as jump_score,
        'jump' as failed_check
    from scored
    inner join measures
        on scored.measure_id = measures.measure_id
    where
        scored.change_spread is not null
        and abs(scored.change - scored.typical_change) > measures.max_jump * scored.change_spread
),

failures as (
    select * from out_of_bounds
    union all
    select * from jumps
)

select
    cast(failures.measure_id as {{ dbt.type_string() }}) as measure_id,
    {{ period_columns('failures') }},
    cast(failures.segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(failures.segment_value as {{ dbt.type_string() }}) as segment_value,
    cast(failures.failed_check as {{ dbt.type_string() }}) as failed_check,
    cast(failures.value as {{ type_double() }}) as value,
    cast(failures.previous_value as {{ type_double() }}) as previous_value,
    cast(failures.change as {{ type_double() }}) as change,
    cast(failures.typical_change as {{ type_double() }}) as typical_change,
    cast(failures.change_spread as {{ type_double() }}) as change_spread,
    cast(failures.jump_score as {{ type_double() }}) as jump_score,
    cast(measures.plausible_min as {{ type_double() }}) as plausible_min,
    cast(measures.plausible_max as {{ type_double() }}) as plausible_max,
    cast(measures.max_jump as {{ type_double() }}) as max_jump,
    cast(measures.on_implausible as {{ dbt.type_string() }}) as on_implausible,
    cast(
        {{ dbt.concat([
            'measures.measure_name',
            "' for '",
            'failures.period_label',
            "case when failures.segment_dimension = 'all' then '' else " ~ dbt.concat(["' ('", 'failures.segment_dimension', "' '", 'failures.segment_value', "')'"]) ~ " end",
            "case failures.failed_check"
            ~ " when 'below_min' then " ~ dbt.concat(["' is '", format_measure_value('failures.value', 'measures.unit'), "', below its plausible minimum '", format_measure_value('measures.plausible_min', 'measures.unit')])
            ~ " when 'above_max' then " ~ dbt.concat(["' is '", format_measure_value('failures.value', 'measures.unit'), "', above its plausible maximum '", format_measure_value('measures.plausible_max', 'measures.unit')])
            ~ " else " ~ dbt.concat([
                "' moved from '", format_measure_value('failures.previous_value', 'measures.unit'),
                "' to '", format_measure_value('failures.value', 'measures.unit'),
                "', '", number_text('failures.jump_score'),
                "' robust standard deviations from its usual change (limit '", number_text('measures.max_jump'), "')'"
            ])
            ~ " end"
        ]) }} as {{ dbt.type_string() }}
    ) as note
from failures
inner join measures
    on failures.measure_id = measures.measure_id
