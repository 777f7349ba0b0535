{#
    Imbalance findings, one row per reason a scorecard-period is out of balance:
    - an outcome perspective (financial or customer, the lagging ones) is on_track while another
      perspective is off_track: one row per such pair, severity critical, with what it may mean;
    - the balance index is below var balance_index_alert (default 70): one row, severity warning,
      naming the highest and lowest perspectives.
    balance_report is imbalanced exactly when this model has a row for the period, and its
    imbalance_reason joins these messages.
#}
{%- set balance_alert = numeric_var('balance_index_alert', 70, minimum=0) -%}

with perspective_rows as (
    select * from {{ ref('perspective_scores') }}
),

balance as (
    select * from {{ ref('int_scorecard_balance') }}
),

scorecards as (
    select * from {{ ref(project_name, 'cfg_scorecards') }}
),

outcome_masking as (
    select
        outcome.scorecard_id,
        outcome.period_grain,
        outcome.period_start,
        outcome.period_label,
        'critical' as severity,
        other.perspective_id,
        {{ dbt.concat(["'outcome_masking:'", 'outcome.perspective_id', "':'", 'other.perspective_id']) }} as subject,
        {{ dbt.concat([
            'outcome.perspective_name',
            "' is on track (score '",
            format_score('outcome.score'),
            "') while '",
            'other.perspective_name',
            "' is off track (score '",
            format_score('other.score'),
            "'): '",
            "case
                when outcome.perspective_id = 'financial' and other.perspective_id = 'customer'
                    then 'growth may be masking customer health.'
                when outcome.perspective_id = 'financial' and other.perspective_id = 'internal_process'
                    then 'results may not last if the processes that deliver them keep failing.'
                when outcome.perspective_id = 'financial' and other.perspective_id = 'learning_growth'
                    then 'today''s results rest on capabilities that are eroding.'
                when outcome.perspective_id = 'customer' and other.perspective_id = 'financial'
                    then 'happy customers are not yet turning into financial results.'
                when outcome.perspective_id = 'customer' and other.perspective_id = 'internal_process'
                    then 'customers may soon feel the process problems.'
                when outcome.perspective_id = 'customer' and other.perspective_id = 'learning_growth'
                    then 'customer results rest on people and skills that are slipping.'
                else 'the scorecard is out of balance.'
            end"
        ]) }} as message
    from perspective_rows as outcome
    inner join perspective_rows as other
        on {{ same_scorecard_period('outcome', 'other') }}
        and outcome.perspective_id <> other.perspective_id
    where outcome.perspective_id in ('financial', 'customer')
        and outcome.status = 'on_track'
        and other.status = 'off_track'
),

low_balance_index as (
    select
        scorecard_id,
        period_grain,
        period_start,
        period_label,
        'warning' as severity,
        lowest_perspective_id as perspective_id,
        'balance_index' as subject,
        {{ dbt.concat([
            "'The perspectives are far apart (balance index '",
            format_score('balance_index'),
            "', below " ~ (balance_alert | round | int) ~ "): '",
            'highest_perspective_name',
            "' scores '",
            format_score('highest_score'),
            "' while '",
            'lowest_perspective_name',
            "' scores '",
            format_score('lowest_score'),
            "'.'"
        ]) }} as message
    from balance
    where balance_index < {{ balance_alert }}
),

imbalances as (
    select * from outcome_masking
    union all
    select * from low_balance_index
)

select
    imbalances.scorecard_id,
    imbalances.period_grain,
    imbalances.period_start,
    imbalances.period_label,
    'imbalance' as finding_type,
    imbalances.severity,
    imbalances.subject,
    imbalances.perspective_id,
    cast(null as {{ dbt.type_string() }}) as objective_id,
    cast(null as {{ dbt.type_string() }}) as measure_id,
    scorecards.owner,
    imbalances.message
from imbalances
inner join scorecards
    on imbalances.scorecard_id = scorecards.scorecard_id
