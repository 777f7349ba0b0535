{#
    The balance report: one row per scorecard × period grain × period with the four default
    perspectives side by side (null score and 'no_data' when the scorecard lacks one;
    perspective_scores carries any custom perspective), the overall score, the balance index and
    whether the period is imbalanced, with the reasons in words (int_scorecard_imbalances), and
    how many findings the period has.
#}
with balance as (
    select * from {{ ref('int_scorecard_balance') }}
),

perspective_rows as (
    select * from {{ ref('perspective_scores') }}
),

imbalances as (
    select * from {{ ref('int_scorecard_imbalances') }}
),

findings as (
    select * from {{ ref('balance_findings') }}
),

side_by_side as (
    select
        scorecard_id,
        period_grain,
        period_start,
        {%- for perspective in ['financial', 'customer', 'internal_process', 'learning_growth'] %}
            max(case when perspective_id = '{{ perspective }}' then score end) as {{ perspective }}_score,
            max(case when perspective_id = '{{ perspective }}' then status end) as {{ perspective }}_status
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from perspective_rows
    group by scorecard_id, period_grain, period_start
),

reasons as (
    select
        scorecard_id,
        period_grain,
        period_start,
        {{ scorecard_engine.ordered_listagg('message', "' '", ['severity', 'message']) }} as imbalance_reason
    from imbalances
    group by scorecard_id, period_grain, period_start
),

finding_counts as (
    select
        scorecard_id,
        period_grain,
        period_start,
        {{ status_counts('severity', ['critical'], prefix='findings') }}
    from findings
    group by scorecard_id, period_grain, period_start
)

select
    cast(balance.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    cast(balance.scorecard_name as {{ dbt.type_string() }}) as scorecard_name,
    {{ period_columns('balance') }},
    {%- for perspective in ['financial', 'customer', 'internal_process', 'learning_growth'] %}
        cast(side_by_side.{{ perspective }}_score as {{ type_double() }}) as {{ perspective }}_score,
        cast(coalesce(side_by_side.{{ perspective }}_status, 'no_data') as {{ dbt.type_string() }})
            as {{ perspective }}_status,
    {%- endfor %}
    cast(balance.overall_score as {{ type_double() }}) as overall_score,
    cast(balance.overall_status as {{ dbt.type_string() }}) as overall_status,
    cast(balance.untrusted_weight_share as {{ type_double() }}) as untrusted_weight_share,
    cast(balance.balance_index as {{ type_double() }}) as balance_index,
    cast(reasons.imbalance_reason is not null as {{ dbt.type_boolean() }}) as is_imbalanced,
    cast(reasons.imbalance_reason as {{ dbt.type_string() }}) as imbalance_reason,
    cast(balance.measures_total as integer) as measures_total,
    cast(balance.measures_off_track as integer) as measures_off_track,
    cast(coalesce(finding_counts.findings_total, 0) as integer) as findings_total,
    cast(coalesce(finding_counts.findings_critical, 0) as integer) as findings_critical,
    cast(balance.is_complete_period as {{ dbt.type_boolean() }}) as is_complete_period
from balance
left join side_by_side
    on {{ same_scorecard_period('balance', 'side_by_side') }}
left join reasons
    on {{ same_scorecard_period('balance', 'reasons') }}
left join finding_counts
    on {{ same_scorecard_period('balance', 'finding_counts') }}
