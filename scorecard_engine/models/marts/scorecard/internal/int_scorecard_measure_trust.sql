{#
    Measure-periods whose data failed a quality gate: one row per measure × period grain × period
    with at least one flag (stg_quality__source_flags) on one of the measure's data sources
    (cfg_measures.data_sources) for a month inside the period, or for all periods. Either severity
    makes the period untrusted; has_error_flag says whether any flag was an error. Measure-periods
    not listed here are trusted.

    A value that fails its measure's plausibility gate with on_implausible = 'untrust'
    (int_scorecard_measure_plausibility) is a flag too, as a warning, on its own period and on every
    coarser period of the measure containing it (a month's implausible value also moved its quarter
    and year); its note is the plausibility note. (A 'block' failure never gets here: it stops the run.)

    trust_note says in plain words which check failed on which table, one sentence per flag:
    "<system.table> failed the check '<what should hold>' for <month>" (or "for all periods"). The
    check's words are the flag's message, where the quality gates write the expectation's
    description; the flag's check_name (a technical id) only stands in for a flag without one.
#}
with flags as (
    select
        source_table,
        period_start as flag_period_start,
        check_name,
        severity,
        message
    from {{ ref('stg_quality__source_flags') }}
),

measures as (
    select
        measure_id,
        -- ',a.b,c.d,' so that a whole 'system.table' name can be matched with like
        {{ dbt.concat(["','", "replace(data_sources, ' ', '')", "','"]) }} as data_source_list
    from {{ ref(project_name, 'cfg_measures') }}
),

periods as (
    select distinct period_grain, period_start, period_end, period_label
    from {{ ref('int_fiscal_periods') }}
),

flagged as (
    select distinct
        measures.measure_id,
        periods.period_grain,
        periods.period_start,
        flags.source_table,
        flags.flag_period_start,
        flags.check_name,
        flags.severity,
        flags.message
    from measures
    inner join flags
        on measures.data_source_list like {{ dbt.concat(["'%,'", 'flags.source_table', "',%'"]) }}
    inner join periods
        on flags.flag_period_start is null
        or (flags.flag_period_start >= periods.period_start and flags.flag_period_start <= periods.period_end)
),

implausible as (
    select distinct
        plausibility.measure_id,
        periods.period_grain,
        periods.period_start,
        'warning' as severity,
        {{ dbt.concat(["'implausible value: '", 'plausibility.note']) }} as note
    from {{ ref('int_scorecard_measure_plausibility') }} as plausibility
    inner join periods
        on
        periods.period_start <= plausibility.period_start
        and periods.period_end >= plausibility.period_end
    where plausibility.on_implausible = 'untrust'
),

described as (
    select
        measure_id,
        period_grain,
        period_start,
        severity,
        {{ dbt.concat([
            'source_table',
            "' failed the check '''",
            "rtrim(coalesce(nullif(trim(message), ''), check_name), '.')",
            "''''",
            "case when flag_period_start is null then ' for all periods' else " ~ dbt.concat(["' for '", month_label('flag_period_start')]) ~ " end"
        ]) }} as note
    from flagged
    union all
    select measure_id, period_grain, period_start, severity, note from implausible
)

select
    measure_id,
    period_grain,
    period_start,
    count(*) as flag_count,
    max(case when severity = 'error' then 1 else 0 end) = 1 as has_error_flag,
    {{ scorecard_engine.ordered_listagg('note', "'; '", ['note']) }} as trust_note
from described
group by measure_id, period_grain, period_start
