{#
    OKRs (cfg_okrs), one row per OKR: its quarter, the strategic objective it serves, and the
    roll-up of its key results (okr_key_results) by the objectives' roll-up macros: the score is
    the average of the scored key results (each weighs 1), the status follows rollup_status, and
    counts by status show what the average hides.
#}
{%- set key_result_statuses = ['on_track', 'at_risk', 'off_track', 'no_data'] %}

with okrs as (
    select * from {{ ref(project_name, 'cfg_okrs') }}
),

key_results as (
    select * from {{ ref('okr_key_results') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

perspectives as (
    select * from {{ ref(project_name, 'cfg_perspectives') }}
),

rolled_up as (
    select
        okr_id,
        max(judged_on) as judged_on,
        {{ weighted_score('score', '1.0') }} as score,
        {{ status_counts('status', key_result_statuses, prefix='key_results') }}
    from key_results
    group by okr_id
)

select
    cast(okrs.okr_id as {{ dbt.type_string() }}) as okr_id,
    cast(okrs.okr_name as {{ dbt.type_string() }}) as okr_name,
    cast(okrs.owner as {{ dbt.type_string() }}) as owner,
    cast(okrs.period_label as {{ dbt.type_string() }}) as period_label,
    cast(okrs.period_start as date) as period_start,
    cast(okrs.period_end as date) as period_end,
    cast(rolled_up.judged_on as date) as judged_on,
    cast(okrs.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(objectives.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(objectives.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(perspectives.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(rolled_up.score as {{ type_double() }}) as score,
    cast({{ rollup_status('rolled_up.score', '0') }} as {{ dbt.type_string() }}) as status,
    {%- for counted in ['total'] + key_result_statuses %}
        cast(rolled_up.key_results_{{ counted }} as integer) as key_results_{{ counted }},
    {%- endfor %}
    cast(okrs.display_order as integer) as display_order
from okrs
inner join rolled_up
    on okrs.okr_id = rolled_up.okr_id
inner join objectives
    on okrs.objective_id = objectives.objective_id
inner join perspectives
    on objectives.perspective_id = perspectives.perspective_id
