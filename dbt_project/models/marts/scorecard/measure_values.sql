{#
    The published table every scorecard, cascade, report and BI tool reads: one row per measure,
    period (month, fiscal quarter, fiscal year) and segment.

    The measure models are listed explicitly: dbt resolves refs at parse time, so the list cannot
    be read from the graph or from cfg_measures. tests/dbt checks that this list, the measure models
    and cfg_measures agree.

    Incremental runs replace only the periods that end on or after the start of the restatement
    window (last month − restatement_window_months): a late correction to a recent month also
    restates the quarter and fiscal year that contain it, while closed history keeps its published
    values. `dbt build --full-refresh` recomputes everything.
#}
{%- set measure_models = [
    'msr_arr',
    'msr_net_revenue_retention',
    'msr_expansion_mrr',
    'msr_gross_margin',
    'msr_new_customers',
    'msr_logo_churn_rate',
    'msr_gross_mrr_churn_rate',
    'msr_active_customers',
    'msr_onboarding_completion_rate',
    'msr_support_csat',
    'msr_time_to_first_value_days',
    'msr_first_contact_resolution_rate',
    'msr_ticket_reopen_rate',
    'msr_median_first_response_hours',
    'msr_cs_training_completion_rate',
    'msr_cs_headcount',
    'msr_accounts_per_csm',
    'msr_employee_engagement_score',
    'msr_voluntary_attrition_rate',
] -%}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['period_grain', 'period_start'],
    on_schema_change='append_new_columns',
    contract={'enforced': true},
    meta={'measure_models': measure_models},
) }}

with unioned as (
    {%- for model_name in measure_models %}
        select
            measure_id,
            period_grain,
            period_start,
            period_end,
            period_label,
            team,
            region,
            customer_segment,
            numerator,
            denominator,
            value
        from {{ ref(model_name) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

settings as (
    select config_version from {{ ref('cfg_settings') }}
)

select
    cast(unioned.measure_id as {{ dbt.type_string() }}) as measure_id,
    cast(unioned.period_grain as {{ dbt.type_string() }}) as period_grain,
    cast(unioned.period_start as date) as period_start,
    cast(unioned.period_end as date) as period_end,
    cast(unioned.period_label as {{ dbt.type_string() }}) as period_label,
    cast(unioned.team as {{ dbt.type_string() }}) as team,
    cast(unioned.region as {{ dbt.type_string() }}) as region,
    cast(unioned.customer_segment as {{ dbt.type_string() }}) as customer_segment,
    cast(unioned.numerator as {{ type_double() }}) as numerator,
    cast(unioned.denominator as {{ type_double() }}) as denominator,
    cast(unioned.value as {{ type_double() }}) as value,
    cast(settings.config_version as {{ dbt.type_string() }}) as config_version,
    {{ to_utc_timestamp('current_timestamp') }} as computed_at
from unioned
cross join settings
{%- if is_incremental() %}
    {%- set window_start = dbt.dateadd('month', 0 - var('restatement_window_months') | int, scorecard_last_month()) %}
    where unioned.period_end >= cast({{ window_start }} as date)
{%- endif %}
