{#
    The published table every scorecard, cascade, report and BI tool reads: one row per measure,
    period (month, fiscal quarter, fiscal year) and segment.

    The measure models come from the company's measure registry (generated/macros, written from
    measures.yml by the config compiler before dbt parses): dbt resolves refs at parse time, so the
    list cannot be read from the graph or from the cfg_measures seed. One msr_<measure_id> model per
    configured measure, retired ones included (their history stays published).

    Incremental runs replace only the periods that end on or after the start of the restatement
    window (last month − restatement_window_months; macro in_restatement_window, the same boundary
    every measure model is incremental on): a late correction to a recent month also restates the
    quarter and fiscal year that contain it, while closed history keeps its published values.
    `dbt build --full-refresh` recomputes everything. Rows the config no longer reports (a
    measure retired or removed) are deleted at any age before the insert (macro
    delete_inactive_measure_rows), so retiring a measure never leaves stale periods behind.
#}
{%- set measure_models = [] -%}
{%- for measure in scorecard_registry()['measures'] -%}
    {%- do measure_models.append(measure['model']) -%}
{%- endfor -%}

{{ config(
    contract={'enforced': true},
    meta={'measure_models': measure_models},
    **scorecard_engine.incremental_by_period("{{ scorecard_engine.delete_inactive_measure_rows(this) }}")
) }}

with unioned as (
    {%- for model_name in measure_models %}
        select
            {{ scorecard_engine.measure_value_columns() | indent(12) }},
            numerator,
            denominator,
            value
        from {{ ref(project_name, model_name) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

settings as (
    select config_version from {{ ref(project_name, 'cfg_settings') }}
),

measures as (
    select measure_id, matures_after_days from {{ ref(project_name, 'cfg_measures') }}
)

select
    cast(unioned.measure_id as {{ dbt.type_string() }}) as measure_id,
    {{ period_columns('unioned') }},
    cast(unioned.segment_dimension as {{ dbt.type_string() }}) as segment_dimension,
    cast(unioned.segment_value as {{ dbt.type_string() }}) as segment_value,
    cast(unioned.numerator as {{ type_double() }}) as numerator,
    cast(unioned.denominator as {{ type_double() }}) as denominator,
    cast(unioned.value as {{ type_double() }}) as value,
    cast(settings.config_version as {{ dbt.type_string() }}) as config_version,
    {{ to_utc_timestamp('current_timestamp') }} as computed_at,
    cast({{ matures_on('unioned.period_end', 'measures.matures_after_days') }} as date) as matures_on
from unioned
cross join settings
left join measures
    on unioned.measure_id = measures.measure_id
where {{ scorecard_engine.in_restatement_window('unioned.period_end') }}
