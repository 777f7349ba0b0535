{#
    Every finding of every scorecard period, one row each, from the models that detect them:
    imbalance (int_scorecard_imbalances), early_warning (int_scorecard_early_warnings),
    off_track_measure / missing_data / missing_target / untrusted_data
    (int_scorecard_measure_findings), overdue_action (int_scorecard_action_findings),
    overdue_milestone (int_scorecard_milestone_findings), failed_assumption and
    contradicted_assumption (int_scorecard_assumption_findings) and forecast_miss
    (int_scorecard_forecast_findings). finding_id is an md5 of type, scorecard,
    grain, period and subject (published: what the finding is about): the same finding keeps its
    id across runs.
#}
{%- set finding_models = [
    'int_scorecard_imbalances',
    'int_scorecard_early_warnings',
    'int_scorecard_measure_findings',
    'int_scorecard_action_findings',
    'int_scorecard_milestone_findings',
    'int_scorecard_assumption_findings',
    'int_scorecard_forecast_findings',
] %}

with findings as (
    {%- for finding_model in finding_models %}
        select * from {{ ref(finding_model) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select
    cast({{ dbt.hash(dbt.concat([
        'finding_type', "'|'", 'scorecard_id', "'|'", 'period_grain', "'|'",
        'cast(period_start as ' ~ dbt.type_string() ~ ')', "'|'", 'subject'
    ])) }} as {{ dbt.type_string() }}) as finding_id,
    cast(scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(period_start as date) as period_start,
    cast(period_label as {{ dbt.type_string() }}) as period_label,
    cast(finding_type as {{ dbt.type_string() }}) as finding_type,
    cast(severity as {{ dbt.type_string() }}) as severity,
    cast(perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(owner as {{ dbt.type_string() }}) as owner,
    cast(message as {{ dbt.type_string() }}) as message,
    cast(subject as {{ dbt.type_string() }}) as subject
from findings
