{#
    Forecast to the fiscal-year target: one row per scorecard × measure × period at the measure's own
    frequency (months for monthly measures, fiscal quarters for quarterly ones) inside a fiscal year
    whose year row on the scorecard has a target. The projection uses only the actuals known by the
    end of the period, and follows how the measure's year is aggregated (cfg_measures.target_rollup,
    the rule its annual target is built with):
    - sum (flows: the year is the sum of its periods) — run-rate: year to date + the average per
      period so far × the periods remaining;
    - compound (a share lost each period) — run-rate on the compounded scale: 1 − Π(1 − share) over
      the periods so far, extended by their average log survival for the periods remaining;
    - last (stocks and trailing rates: the year is its last period) — linear trend: the least-squares
      line through the last forecast_trend_periods (default 6) actuals, read at the year's last period;
    - average (ratios, distributions: the year is on the period scale) — linear trend: the mean of the
      actuals so far and the trend line's values for the periods remaining.
    A trend needs at least 3 actuals in the window; otherwise, and before a run-rate has any actual,
    the projection is null. The slope is computed from sums (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²), which
    every engine runs. The projected status uses the measure's thresholds against the annual target,
    exactly like a period's status; is_projected_miss marks an on-track period whose projection is
    not on track (balance_findings: forecast_miss).
#}
{%- set trend_periods = numeric_var('forecast_trend_periods', 6, whole_number=true, minimum=3) | int -%}

with scorecard_rows as (
    select * from {{ ref('scorecard') }}
),

measures as (
    select
        measure_id,
        target_rollup,
        {{ own_grain('frequency') }} as own_grain
    from {{ ref(project_name, 'cfg_measures') }}
),

thresholds as (
    select * from {{ ref(project_name, 'cfg_thresholds') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

own_periods as (
    select
        scorecard_rows.scorecard_id,
        scorecard_rows.period_grain,
        scorecard_rows.period_start,
        scorecard_rows.period_end,
        scorecard_rows.period_label,
        scorecard_rows.measure_id,
        scorecard_rows.measure_name,
        scorecard_rows.objective_id,
        scorecard_rows.perspective_id,
        scorecard_rows.owner,
        scorecard_rows.unit,
        scorecard_rows.direction,
        scorecard_rows.actual,
        scorecard_rows.status,
        measures.target_rollup,
        calendar_months.fiscal_year_start,
        calendar_months.fiscal_year_end,
        calendar_months.fiscal_year_label,
        {{ scorecard_engine.datediff("cast('2000-01-01' as date)", 'scorecard_rows.period_start', 'month') }}
        / {{ months_in_grain('scorecard_rows.period_grain') }} as period_index,
        12 / {{ months_in_grain('scorecard_rows.period_grain') }} as periods_in_year,
        {{ scorecard_engine.datediff('calendar_months.fiscal_year_start', 'scorecard_rows.period_start', 'month') }}
        / {{ months_in_grain('scorecard_rows.period_grain') }} + 1 as periods_elapsed
    from scorecard_rows
    inner join measures
        on scorecard_rows.measure_id = measures.measure_id
        and scorecard_rows.period_grain = measures.own_grain
    inner join calendar_months
        on scorecard_rows.period_start = calendar_months.month_start
),

annual_targets as (
    select
        scorecard_id,
        measure_id,
        period_start as fiscal_year_start,
        target as annual_target
    from scorecard_rows
    where period_grain = 'year'
        and target is not null
),

year_to_date as (
    select
        own_periods.scorecard_id,
        own_periods.measure_id,
        own_periods.period_start,
        count(earlier.actual) as periods_with_actual,
        sum(earlier.actual) as actual_sum,
        sum(ln(greatest(1 - earlier.actual, 1e-12))) as log_survival_sum,
        max(case when earlier.period_start = own_periods.period_start then earlier.actual end) as latest_actual
    from own_periods
    inner join own_periods as earlier
        on own_periods.scorecard_id = earlier.scorecard_id
        and own_periods.measure_id = earlier.measure_id
        and own_periods.fiscal_year_start = earlier.fiscal_year_start
        and earlier.period_start <= own_periods.period_start
    group by own_periods.scorecard_id, own_periods.measure_id, own_periods.period_start
),

-- Least-squares line through the last trend_periods actuals (x: period index, y: actual).
trend_sums as (
    select
        own_periods.scorecard_id,
        own_periods.measure_id,
        own_periods.period_start,
        count(recent.actual) as trend_points,
        sum(case when recent.actual is not null then recent.period_index end) as sum_x,
        sum(recent.actual) as sum_y,
        sum(recent.period_index * recent.actual) as sum_xy,
        sum(case when recent.actual is not null then recent.period_index * recent.period_index end) as sum_xx
    from own_periods
    inner join own_periods as recent
        on own_periods.scorecard_id = recent.scorecard_id
        and own_periods.measure_id = recent.measure_id
        and recent.period_index <= own_periods.period_index
        and recent.period_index > own_periods.period_index - {{ trend_periods }}
    group by own_periods.scorecard_id, own_periods.measure_id, own_periods.period_start
),

trend_lines as (
    select
        trend_sums.*,
        case
            when trend_points >= 3 and trend_points * sum_xx - sum_x * sum_x > 0
                then (trend_points * sum_xy - sum_x * sum_y) / (trend_points * sum_xx - sum_x * sum_x)
        end as slope
    from trend_sums
),

inputs as (
    select
        own_periods.*,
        annual_targets.annual_target,
        own_periods.periods_in_year - own_periods.periods_elapsed as periods_remaining,
        year_to_date.periods_with_actual,
        year_to_date.actual_sum,
        year_to_date.log_survival_sum,
        year_to_date.latest_actual,
        trend_lines.trend_points,
        trend_lines.slope,
        -- The trend line's value at this period: mean(y) + slope × (x_now − mean(x)).
        trend_lines.sum_y / trend_lines.trend_points
        + trend_lines.slope * (own_periods.period_index - trend_lines.sum_x / trend_lines.trend_points)
            as fitted_now,
        case when own_periods.target_rollup in ('sum', 'compound') then 'run_rate' else 'linear_trend' end
            as forecast_method
    from own_periods
    inner join annual_targets
        on own_periods.scorecard_id = annual_targets.scorecard_id
        and own_periods.measure_id = annual_targets.measure_id
        and own_periods.fiscal_year_start = annual_targets.fiscal_year_start
    inner join year_to_date
        on own_periods.scorecard_id = year_to_date.scorecard_id
        and own_periods.measure_id = year_to_date.measure_id
        and own_periods.period_start = year_to_date.period_start
    inner join trend_lines
        on own_periods.scorecard_id = trend_lines.scorecard_id
        and own_periods.measure_id = trend_lines.measure_id
        and own_periods.period_start = trend_lines.period_start
),

projected as (
    select
        inputs.*,
        case
            when inputs.target_rollup = 'sum' and inputs.periods_with_actual > 0
                then inputs.actual_sum
                    + inputs.actual_sum / inputs.periods_with_actual * inputs.periods_remaining
            when inputs.target_rollup = 'compound' and inputs.periods_with_actual > 0
                then 1 - exp(
                        inputs.log_survival_sum
                        + inputs.log_survival_sum / inputs.periods_with_actual * inputs.periods_remaining
                    )
            when inputs.target_rollup = 'last'
                then inputs.fitted_now + inputs.slope * inputs.periods_remaining
            when inputs.target_rollup not in ('sum', 'compound')
                then (
                    inputs.actual_sum
                    + inputs.periods_remaining * inputs.fitted_now
                    + inputs.slope * inputs.periods_remaining * (inputs.periods_remaining + 1) / 2
                ) / (inputs.periods_with_actual + inputs.periods_remaining)
        end as projected_value,
        case
            when inputs.target_rollup = 'sum' then inputs.actual_sum
            when inputs.target_rollup = 'compound' and inputs.periods_with_actual > 0
                then 1 - exp(inputs.log_survival_sum)
            when inputs.target_rollup = 'last' then inputs.latest_actual
            when inputs.periods_with_actual > 0 then inputs.actual_sum / inputs.periods_with_actual
        end as year_to_date_value
    from inputs
),

judged as (
    select
        projected.*,
        {{ measure_attainment('projected.projected_value', 'projected.annual_target', 'projected.direction') }}
            as projected_attainment,
        thresholds.at_risk_below,
        thresholds.off_track_below
    from projected
    inner join thresholds
        on projected.measure_id = thresholds.measure_id
),

statused as (
    select
        judged.*,
        case when judged.projected_value is not null then {{ measure_status(
            'true', 'judged.projected_value', 'judged.annual_target', 'judged.projected_attainment',
            'judged.at_risk_below', 'judged.off_track_below'
        ) }} end as projected_status
    from judged
)

select
    cast(scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    {{ period_columns() }},
    cast(measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(measure_name as {{ dbt.type_string() }}) as measure_name,
    cast(objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(owner as {{ dbt.type_string() }}) as owner,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(direction as {{ dbt.type_string() }}) as direction,
    cast(fiscal_year_label as {{ dbt.type_string() }}) as fiscal_year_label,
    cast(fiscal_year_end as date) as fiscal_year_end,
    cast(target_rollup as {{ dbt.type_string() }}) as target_rollup,
    cast(forecast_method as {{ dbt.type_string() }}) as forecast_method,
    cast(periods_elapsed as integer) as periods_elapsed,
    cast(periods_remaining as integer) as periods_remaining,
    cast(periods_with_actual as integer) as periods_with_actual,
    cast(year_to_date_value as {{ type_double() }}) as year_to_date_value,
    cast(trend_points as integer) as trend_points,
    cast(slope as {{ type_double() }}) as trend_slope_per_period,
    cast(projected_value as {{ type_double() }}) as projected_value,
    cast(annual_target as {{ type_double() }}) as annual_target,
    cast(projected_attainment as {{ type_double() }}) as projected_attainment,
    cast(projected_status as {{ dbt.type_string() }}) as projected_status,
    cast(status as {{ dbt.type_string() }}) as period_status,
    cast(
        coalesce(status = 'on_track' and projected_status in ('at_risk', 'off_track'), false)
        as {{ dbt.type_boolean() }}
    ) as is_projected_miss
from statused
