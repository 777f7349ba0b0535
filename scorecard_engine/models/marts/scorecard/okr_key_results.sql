{#
    Key results of the OKRs (cfg_okr_key_results), one row per key result, judged on its quarter's
    judged_on day: the quarter's end, or the end of the scorecard's last month while it runs.

    progress           (current − start) ÷ (target − start): 0 at the start, 1 at the target, in
                       either direction (a target below the start is a decrease to reach).
    expected_progress  the share of the time from the quarter's start to the due date that has
                       passed by judged_on (1 once the due date has passed): where progress should
                       be by now, as in expected-progress health.
    attainment         progress ÷ expected_progress; status and score follow the measures' macros
                       (measure_status with the default thresholds of targets.yml, measure_score).
    A key result not checked in yet (no current value) or whose quarter has not started is no_data.
#}
with key_results as (
    select * from {{ ref(project_name, 'cfg_okr_key_results') }}
),

okrs as (
    select * from {{ ref(project_name, 'cfg_okrs') }}
),

judged as (
    select
        key_results.*,
        okrs.okr_name,
        okrs.objective_id,
        okrs.owner,
        okrs.period_label,
        okrs.period_start,
        okrs.period_end,
        {{ judged_on('okrs.period_end') }} as judged_on
    from key_results
    inner join okrs
        on key_results.okr_id = okrs.okr_id
),

progressed as (
    select
        judged.*,
        (current_value - start_value) / (target_value - start_value) as progress,
        case
            when judged_on >= cast(due_date as date) then 1.0
            when judged_on <= period_start then 0.0
            else
                cast({{ scorecard_engine.datediff('period_start', 'judged_on', 'day') }} as {{ type_double() }})
                / {{ scorecard_engine.datediff('period_start', 'cast(due_date as date)', 'day') }}
        end as expected_progress
    from judged
),

attained as (
    select
        progressed.*,
        case when expected_progress > 0 then current_value end as judged_value,
        case when expected_progress > 0 then progress / expected_progress end as attainment
    from progressed
),

statused as (
    select
        attained.*,
        {{ measure_status(
            'true', 'judged_value', 'target_value', 'attainment', 'at_risk_below', 'off_track_below'
        ) }} as status
    from attained
)

select
    cast(okr_id as {{ dbt.type_string() }}) as okr_id,
    cast(key_result_id as {{ dbt.type_string() }}) as key_result_id,
    cast(okr_name as {{ dbt.type_string() }}) as okr_name,
    cast(key_result_name as {{ dbt.type_string() }}) as key_result_name,
    cast(objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(owner as {{ dbt.type_string() }}) as owner,
    cast(period_label as {{ dbt.type_string() }}) as period_label,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(judged_on as date) as judged_on,
    cast(due_date as date) as due_date,
    cast(start_value as {{ type_double() }}) as start_value,
    cast(target_value as {{ type_double() }}) as target_value,
    cast(current_value as {{ type_double() }}) as current_value,
    cast(progress as {{ type_double() }}) as progress,
    cast(expected_progress as {{ type_double() }}) as expected_progress,
    cast(attainment as {{ type_double() }}) as attainment,
    cast(status as {{ dbt.type_string() }}) as status,
    cast({{ measure_score('status', 'attainment') }} as {{ type_double() }}) as score,
    cast(display_order as integer) as display_order
from statused
