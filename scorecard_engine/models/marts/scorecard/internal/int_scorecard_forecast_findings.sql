{#
    Forecast misses: one finding per scorecard period × measure that is on track in the period while
    its fiscal year is projected to miss the annual target (measure_forecasts.is_projected_miss): the
    month looks fine, the year will not be. Owner: the measure's owner.
#}
with forecasts as (
    select * from {{ ref('measure_forecasts') }}
)

select
    forecasts.scorecard_id,
    forecasts.period_grain,
    forecasts.period_start,
    forecasts.period_label,
    'forecast_miss' as finding_type,
    'warning' as severity,
    forecasts.measure_id as subject,
    forecasts.perspective_id,
    forecasts.objective_id,
    forecasts.measure_id,
    forecasts.owner,
    {{ dbt.concat([
        'forecasts.measure_name',
        "' is on track in '",
        'forecasts.period_label',
        "' but projected to reach '",
        format_measure_value('forecasts.projected_value', 'forecasts.unit'),
        "' by the end of '",
        'forecasts.fiscal_year_label',
        "' ('",
        "case when forecasts.forecast_method = 'run_rate' then 'run-rate' else 'linear trend' end",
        "'), against an annual target of '",
        format_measure_value('forecasts.annual_target', 'forecasts.unit'),
        "'.'"
    ]) }} as message
from forecasts
where forecasts.is_projected_miss
