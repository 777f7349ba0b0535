{#
    Whether a measure row's period lies inside its measure's active range in cfg_measures: it ends
    on or after effective_from and starts before retired_on. The same range the measure spine
    (macro measure_spine) builds, so measure_values holds exactly what the measure models report.
#}
{% macro is_active_measure_period(measures, period_start, period_end) -%}
    ({{ period_end }} >= cast({{ measures }}.effective_from as date)
        and ({{ measures }}.retired_on is null or {{ period_start }} < cast({{ measures }}.retired_on as date)))
{%- endmacro %}

{#
    Pre-hook of the incremental measure_values: delete the rows the config no longer reports, at any
    age, not just inside the restatement window. A measure retired from a month loses its periods from
    that month on; a measure removed from measures.yml, or whose effective_from moved later, loses
    the periods outside its range. The measure_value_history snapshot (hard_deletes: invalidate)
    then closes their current versions, and restatements records each published one as withdrawn
    (reason retired or removed), so the as-reported history stays answerable.
#}
{% macro delete_inactive_measure_rows(relation) -%}
    {%- if is_incremental() %}
        delete from {{ relation }} as published
        where not exists (
            select 1
            from {{ ref(project_name, 'cfg_measures') }} as measures
            where
                measures.measure_id = published.measure_id
                and {{ scorecard_engine.is_active_measure_period('measures', 'published.period_start', 'published.period_end') }}
        )
    {%- endif %}
{%- endmacro %}
