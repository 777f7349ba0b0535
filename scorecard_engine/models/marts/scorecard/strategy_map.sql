{#
    The strategy map per scorecard and period: one row per link whose cause and effect objectives
    both have measures on the scorecard, with the status and score of both ends, whether a review
    judged the assumption failed (a review of any scorecard, of a period ending on or before this
    one: the map is shared), and evidence from the data as known at the end of this period (the
    scorecard's last month for a period still running): the lead-lag test of the cause's and the
    effect's measure values (int_scorecard_link_evidence: best measure pair and lag, pair count,
    Bonferroni-adjusted Fisher interval, verdict). evidence_correlation is the older correlation of
    objective scores, kept for readers of the contract; the verdict supersedes it.
#}
with links as (
    select * from {{ ref(project_name, 'cfg_strategy_links') }}
),

objective_rows as (
    select * from {{ ref('objective_scores') }}
),

failed_assumptions as (
    select * from {{ ref(project_name, 'cfg_failed_assumptions') }}
),

reviews as (
    select * from {{ ref(project_name, 'cfg_reviews') }}
),

link_evidence as (
    select * from {{ ref('int_scorecard_link_evidence') }}
),

link_periods as (
    select
        causes.scorecard_id,
        causes.period_grain,
        causes.period_start,
        causes.period_end,
        causes.period_label,
        links.link_id,
        links.cause_objective_id,
        causes.objective_name as cause_objective_name,
        causes.perspective_id as cause_perspective_id,
        causes.status as cause_status,
        causes.score as cause_score,
        links.effect_objective_id,
        effects.objective_name as effect_objective_name,
        effects.perspective_id as effect_perspective_id,
        effects.status as effect_status,
        effects.score as effect_score,
        links.lag_months,
        links.assumption
    from links
    inner join objective_rows as causes
        on links.cause_objective_id = causes.objective_id
    inner join objective_rows as effects
        on links.effect_objective_id = effects.objective_id
        and {{ same_scorecard_period('causes', 'effects') }}
),

-- Link ends as monthly score series: the outcome lag_months after the driver.
monthly_pairs as (
    select
        causes.scorecard_id,
        links.link_id,
        effects.period_end as effect_month_end,
        causes.score as cause_score,
        effects.score as effect_score
    from links
    inner join objective_rows as causes
        on links.cause_objective_id = causes.objective_id
        and causes.period_grain = 'month'
    inner join objective_rows as effects
        on links.effect_objective_id = effects.objective_id
        and causes.scorecard_id = effects.scorecard_id
        and effects.period_grain = 'month'
        and effects.period_start = {{ shift_months('causes.period_start', 'links.lag_months') }}
    where causes.score is not null
        and effects.score is not null
        -- Only months measured in the month: a quarter's roll-up carried into its months is no series.
        and causes.measured_period_label = causes.period_label
        and effects.measured_period_label = effects.period_label
),

evidence as (
    select
        link_periods.scorecard_id,
        link_periods.period_grain,
        link_periods.period_start,
        link_periods.link_id,
        count(*) as pairs,
        var_samp(monthly_pairs.cause_score) as cause_variance,
        var_samp(monthly_pairs.effect_score) as effect_variance,
        corr(monthly_pairs.cause_score, monthly_pairs.effect_score) as correlation
    from link_periods
    inner join monthly_pairs
        on link_periods.scorecard_id = monthly_pairs.scorecard_id
        and link_periods.link_id = monthly_pairs.link_id
        and monthly_pairs.effect_month_end <= link_periods.period_end
    group by link_periods.scorecard_id, link_periods.period_grain, link_periods.period_start, link_periods.link_id
),

judged_failed as (
    select
        failed_assumptions.link_id,
        min(cast(reviews.period_end as date)) as first_failed_period_end
    from failed_assumptions
    inner join reviews
        on failed_assumptions.review_id = reviews.review_id
    group by failed_assumptions.link_id
)

select
    cast(link_periods.scorecard_id as {{ dbt.type_string() }}) as scorecard_id,
    {{ period_columns('link_periods') }},
    cast(link_periods.cause_objective_id as {{ dbt.type_string() }}) as cause_objective_id,
    cast(link_periods.cause_objective_name as {{ dbt.type_string() }}) as cause_objective_name,
    cast(link_periods.cause_perspective_id as {{ dbt.type_string() }}) as cause_perspective_id,
    cast(link_periods.cause_status as {{ dbt.type_string() }}) as cause_status,
    cast(link_periods.cause_score as {{ type_double() }}) as cause_score,
    cast(link_periods.effect_objective_id as {{ dbt.type_string() }}) as effect_objective_id,
    cast(link_periods.effect_objective_name as {{ dbt.type_string() }}) as effect_objective_name,
    cast(link_periods.effect_perspective_id as {{ dbt.type_string() }}) as effect_perspective_id,
    cast(link_periods.effect_status as {{ dbt.type_string() }}) as effect_status,
    cast(link_periods.effect_score as {{ type_double() }}) as effect_score,
    cast(link_periods.lag_months as integer) as lag_months,
    cast(link_periods.assumption as {{ dbt.type_string() }}) as assumption,
    cast(
        coalesce(judged_failed.first_failed_period_end <= link_periods.period_end, false) as {{ dbt.type_boolean() }}
    ) as assumption_failed,
    cast(case
        when evidence.pairs >= 6 and evidence.cause_variance > 0 and evidence.effect_variance > 0
            then evidence.correlation
    end as {{ type_double() }}) as evidence_correlation,
    cast(coalesce(link_evidence.verdict, 'not_enough_data') as {{ dbt.type_string() }}) as evidence_verdict,
    cast(link_evidence.cause_measure_id as {{ dbt.type_string() }}) as evidence_cause_measure_id,
    cast(link_evidence.effect_measure_id as {{ dbt.type_string() }}) as evidence_effect_measure_id,
    cast(link_evidence.lag_months as integer) as evidence_lag_months,
    cast(link_evidence.pair_count as integer) as evidence_pairs,
    cast(link_evidence.tests_searched as integer) as evidence_tests_searched,
    cast(link_evidence.correlation as {{ type_double() }}) as evidence_detrended_correlation,
    cast(link_evidence.correlation_low as {{ type_double() }}) as evidence_correlation_low,
    cast(link_evidence.correlation_high as {{ type_double() }}) as evidence_correlation_high
from link_periods
left join evidence
    on {{ same_scorecard_period('link_periods', 'evidence') }}
    and link_periods.link_id = evidence.link_id
left join judged_failed
    on link_periods.link_id = judged_failed.link_id
left join link_evidence
    on link_periods.link_id = link_evidence.link_id
    and link_evidence.as_of_month_start = cast({{ dbt.date_trunc(
        'month', 'least(link_periods.period_end, ' ~ scorecard_last_day() ~ ')'
    ) }} as date)
