"""A small published-marts file (schema ``scorecard``) with crafted rows, built with SQL.

It follows issue 5's marts contract column for column. The rows tell a realistic story for a
subscription company over 14 months (2025-08 … 2026-09, fiscal years starting in February):

- at the latest month, 2026-09, the corporate scorecard has a measure in every status: ARR and logo
  churn on track, gross margin and time to first value at risk, onboarding completion and CS training
  completion off track, median first response without data, first-contact resolution without a
  target, support CSAT untrusted (its source failed a quality gate); employee engagement is reported
  quarterly only, so a monthly report shows its latest closed quarter;
- Financial is on track while Learning and growth is off track: the period is imbalanced;
- every finding type is present: imbalance, early warning, off-track measure, missing data,
  missing target, untrusted data, overdue action and failed assumption, in all three severities;
- a cascaded scorecard (cs_enterprise) has six months and no financial perspective;
- late data restated published values: the September refresh restated July's ARR and its fiscal
  quarter (and Enterprise ARR, which no scorecard shows); the August refresh restated the Enterprise
  team's June logo churn;
- free text carries ``<``, ``&`` and ``|`` so escaping in HTML and Markdown is exercised.

The roll-ups below are written the way the contract defines them, so the file is self-consistent;
the report itself must only read them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

_MEASURES = """
create table fixture_measures as
select * from (values
    ('arr', 'Annual recurring revenue',
     '12 x the MRR of all subscriptions active at the end of the period.',
     'grow_recurring_revenue', 'Grow recurring revenue', 'financial', 'Financial', 1,
     'Daniel Okafor, Chief Financial Officer', 'usd', 'higher_is_better', 'lagging', 'stock', 2.0,
     10000000.0, 120000.0, 11200000.0, 'month'),
    ('gross_margin', 'Gross margin',
     '(Invoiced revenue - cost of revenue) ÷ invoiced revenue.',
     'improve_profitability', 'Improve profitability', 'financial', 'Financial', 1,
     'Daniel Okafor, Chief Financial Officer', 'percent', 'higher_is_better', 'lagging', 'ratio', 1.0,
     0.700, 0.002, 0.800, 'month'),
    ('logo_churn_rate', 'Logo churn rate',
     'Accounts that cancelled in the period ÷ accounts active at its start.',
     'reduce_avoidable_churn', 'Reduce avoidable churn', 'customer', 'Customer', 2,
     'Maya Chen, VP Customer Success', 'percent', 'lower_is_better', 'lagging', 'ratio', 2.0,
     0.0200, -0.0002, 0.0180, 'month'),
    ('support_csat', 'Support satisfaction (CSAT)',
     'Share of support survey answers rating 4 or 5 out of 5.',
     'delight_customers_in_support', 'Delight customers in support', 'customer', 'Customer', 2,
     'Priya Raman, Head of Support', 'percent', 'higher_is_better', 'lagging', 'ratio', 1.0,
     0.820, 0.003, 0.850, 'month'),
    ('onboarding_completion_rate', 'Onboarding completion',
     'New accounts that reach all four milestones within 30 days.',
     'onboard_customers_successfully', 'Onboard customers successfully', 'customer', 'Customer', 2,
     'Maya Chen, VP Customer Success', 'percent', 'higher_is_better', 'leading', 'ratio', 1.0,
     0.800, -0.010, 0.850, 'month'),
    ('time_to_first_value_days', 'Time to first value',
     'Median days from signup to the first real use of the product.',
     'deliver_value_fast', 'Deliver value fast', 'internal_process', 'Internal process', 3,
     'Tomás Lindqvist, VP Product', 'days', 'lower_is_better', 'leading', 'distribution', 1.0,
     14.0, -0.5, 7.0, 'month'),
    ('first_contact_resolution_rate', 'First-contact resolution',
     'Tickets solved in one contact ÷ tickets solved.',
     'resolve_issues_first_time', 'Resolve issues first time', 'internal_process', 'Internal process', 3,
     'Priya Raman, Head of Support', 'percent', 'higher_is_better', 'leading', 'ratio', 1.0,
     0.700, 0.004, null, 'month'),
    ('median_first_response_hours', 'Median first response',
     'Median hours from a ticket opening to the first reply.',
     'resolve_issues_first_time', 'Resolve issues first time', 'internal_process', 'Internal process', 3,
     'Priya Raman, Head of Support', 'hours', 'lower_is_better', 'leading', 'distribution', 1.0,
     6.0, -0.1, 5.0, 'month'),
    ('cs_training_completion_rate', 'CS training completion',
     'Assigned training modules completed on time by CS and support staff.',
     'build_cs_capability', 'Build customer-success capability', 'learning_growth', 'Learning and growth', 4,
     'Grace Mbeki, Chief People Officer', 'percent', 'higher_is_better', 'leading', 'ratio', 1.0,
     0.950, -0.020, 0.900, 'month'),
    ('employee_engagement_score', 'Employee engagement',
     'Average engagement survey score, 0 to 100.',
     'build_cs_capability', 'Build customer-success capability', 'learning_growth', 'Learning and growth', 4,
     'Grace Mbeki, Chief People Officer', 'score', 'higher_is_better', 'leading', 'ratio', 1.0,
     null, null, 75.0, 'quarter')
) as t(measure_id, measure_name, definition, objective_id, objective_name, perspective_id, perspective_name,
       display_order, owner, unit, direction, indicator_type, measure_type, weight, start_value, monthly_step,
       target_value, frequency)
"""

_PERIODS = """
create table fixture_periods as
select
    'month' as period_grain,
    cast(m as date) as period_start,
    cast(m + interval 1 month - interval 1 day as date) as period_end,
    strftime(m, '%Y-%m') as period_label,
    cast(datediff('month', date '2025-08-01', m) as integer) as month_index
from unnest(generate_series(timestamp '2025-08-01', timestamp '2026-09-01', interval 1 month)) as s(m)
union all
select * from (values
    ('quarter', date '2025-05-01', date '2025-07-31', 'FY2026-Q2', -3),
    ('quarter', date '2025-08-01', date '2025-10-31', 'FY2026-Q3', 0),
    ('quarter', date '2025-11-01', date '2026-01-31', 'FY2026-Q4', 3),
    ('quarter', date '2026-02-01', date '2026-04-30', 'FY2027-Q1', 6),
    ('quarter', date '2026-05-01', date '2026-07-31', 'FY2027-Q2', 9),
    ('quarter', date '2026-08-01', date '2026-10-31', 'FY2027-Q3', 12)
)
"""

_SCORECARDS = """
create table fixture_scorecards as
select * from (values
    ('corporate', 'Fixture Analytics — corporate scorecard', 'all', 'all', 1.0, date '2025-08-01'),
    ('cs_enterprise', 'Customer Success — Enterprise team', 'team', 'cs_enterprise', 0.98, date '2026-04-01')
) as t(scorecard_id, scorecard_name, segment_dimension, segment_value, value_factor, first_month)
"""

# Raw actual/target per scorecard, period and measure, before the status rules.
_VALUES = """
create table fixture_values as
select
    s.scorecard_id, s.scorecard_name, s.segment_dimension, s.segment_value,
    p.period_grain, p.period_start, p.period_end, p.period_label,
    p.month_index, m.*,
    case
        -- No responses were recorded for the last two months: no data.
        when m.measure_id = 'median_first_response_hours' and p.month_index >= 12 then null
        when m.frequency = 'quarter' then
            case p.period_label
                when 'FY2026-Q2' then 69.0 when 'FY2026-Q3' then 70.0 when 'FY2026-Q4' then 71.5
                when 'FY2027-Q1' then 73.5 when 'FY2027-Q2' then 76.0 else 77.0
            end
        -- Quarter rows of monthly measures deliberately differ from any month, so a report that
        -- mixed grains would show wrong numbers.
        when p.period_grain = 'quarter' then 3 * (m.start_value + m.monthly_step * p.month_index)
        else (m.start_value + m.monthly_step * p.month_index
              + 0.15 * abs(m.monthly_step) * sin(p.month_index * 1.7)) * s.value_factor
    end as actual,
    m.target_value as target
from fixture_scorecards s
cross join fixture_measures m
join fixture_periods p
  on (m.frequency = 'month' or p.period_grain = 'quarter')
 and (m.frequency = 'quarter' or p.period_grain = 'month' or m.measure_id = 'arr')
 and p.period_start >= case when p.period_grain = 'month' then s.first_month else date '2000-01-01' end
where s.scorecard_id = 'corporate'
   or m.measure_id in (
       'logo_churn_rate', 'support_csat', 'onboarding_completion_rate', 'cs_training_completion_rate'
   )
"""

_SCORECARD = """
create table scorecard.scorecard as
with rated as (
    select
        v.*,
        -- Support CSAT's source failed a freshness gate for the latest month.
        v.measure_id = 'support_csat' and v.period_grain = 'month' and v.month_index = 13 as failed_gate,
        case
            when v.actual is null or v.target is null then null
            when v.direction = 'higher_is_better' then v.actual / nullif(v.target, 0)
            else least(2.0, v.target / nullif(v.actual, 0))
        end as attainment
    from fixture_values v
),
statused as (
    select
        *,
        case
            when failed_gate then 'untrusted'
            when actual is null then 'no_data'
            when target is null then 'no_target'
            when attainment >= 0.95 then 'on_track'
            when attainment >= 0.85 then 'at_risk'
            else 'off_track'
        end as status,
        lag(actual, 1) over w as previous_value,
        lag(actual, 12) over w as same_period_last_year,
        lag(actual, 3) over w as actual_3_back
    from rated
    window w as (partition by scorecard_id, period_grain, measure_id order by period_start)
)
select
    scorecard_id, scorecard_name, period_grain, period_start, period_end, period_label,
    measure_id, measure_name, definition, objective_id, objective_name, perspective_id, perspective_name,
    owner, unit, direction, indicator_type, measure_type, cast(weight as double) as weight,
    segment_dimension, segment_value,
    cast(actual as double) as actual, cast(target as double) as target,
    cast(actual - target as double) as variance, cast(attainment as double) as attainment, status,
    case when status in ('on_track', 'at_risk', 'off_track')
         then least(100, greatest(0, 100 * attainment)) end as score,
    cast(previous_value as double) as previous_value,
    cast(actual - previous_value as double) as change_vs_previous,
    cast(same_period_last_year as double) as same_period_last_year,
    cast(actual - same_period_last_year as double) as change_vs_last_year,
    3 as trend_periods,
    cast(case when direction = 'higher_is_better' then actual - actual_3_back else actual_3_back - actual end
        as double) as trend_change,
    case
        when actual is null or actual_3_back is null then 'unknown'
        when abs(actual - actual_3_back) < 1e-9 then 'flat'
        when (direction = 'higher_is_better') = (actual > actual_3_back) then 'improving'
        else 'declining'
    end as trend_direction,
    status <> 'untrusted' as is_trusted,
    case when status = 'untrusted'
         then 'support.csat_responses failed the freshness check for 2026-09 (latest response 41 days old).'
    end as trust_note,
    'cfg-3f2a9c1e77d0' as config_version,
    period_start >= date '2025-08-01' and period_end <= date '2026-09-30' as is_complete_period,
    false as is_provisional,
    cast(null as date) as matures_on,
    1 as definition_version
from statused
"""

_COUNTS = """
    cast(count(*) as integer) as measures_total,
    cast(count(*) filter (where status = 'on_track') as integer) as measures_on_track,
    cast(count(*) filter (where status = 'at_risk') as integer) as measures_at_risk,
    cast(count(*) filter (where status = 'off_track') as integer) as measures_off_track,
    cast(count(*) filter (where status = 'no_data') as integer) as measures_no_data,
    cast(count(*) filter (where status = 'no_target') as integer) as measures_no_target,
    cast(count(*) filter (where status = 'untrusted') as integer) as measures_untrusted,
    cast(count(*) filter (where status = 'provisional') as integer) as measures_provisional
"""


_UNTRUSTED_SHARE = "coalesce(sum(weight) filter (where status = 'untrusted') / nullif(sum(weight), 0), 0)"


def _rolled_status(score: str) -> str:
    return f"""
        case
            when {_UNTRUSTED_SHARE} >= 0.5 then 'untrusted'
            when {score} >= 95 then 'on_track'
            when {score} >= 85 then 'at_risk'
            when {score} is not null then 'off_track'
            else 'no_data'
        end
    """


_WEIGHTED = "sum(score * weight) / nullif(sum(weight) filter (where score is not null), 0)"

_OBJECTIVE_SCORES = f"""
create table scorecard.objective_scores as
select
    scorecard_id, scorecard_name, period_grain, period_start, period_end, period_label,
    objective_id, objective_name, perspective_id, perspective_name,
    min(owner) as owner,
    {_WEIGHTED} as score,
    {_rolled_status(_WEIGHTED)} as status,
    {_UNTRUSTED_SHARE} as untrusted_weight_share,
    {_COUNTS},
    count(*) filter (where status = 'off_track') > 0 as has_off_track_measures,
    bool_and(is_complete_period) as is_complete_period,
    period_label as measured_period_label,
    1.0 as weight
from scorecard.scorecard
group by all
"""

_PERSPECTIVE_SCORES = f"""
create table scorecard.perspective_scores as
with measures as (
    select
        scorecard_id, scorecard_name, period_grain, period_start, period_end, period_label,
        perspective_id, perspective_name,
        {_WEIGHTED} as score,
        {_rolled_status(_WEIGHTED)} as status,
        {_UNTRUSTED_SHARE} as untrusted_weight_share,
        bool_and(is_complete_period) as is_complete_period,
        {_COUNTS}
    from scorecard.scorecard
    group by all
),
objectives as (
    select scorecard_id, period_grain, period_start, perspective_id,
           count(*) as objectives_total,
           count(*) filter (where status = 'off_track') as objectives_off_track
    from scorecard.objective_scores
    group by all
)
select
    m.scorecard_id, m.scorecard_name, m.period_grain, m.period_start, m.period_end, m.period_label,
    m.perspective_id, m.perspective_name,
    case m.perspective_id when 'financial' then 1 when 'customer' then 2 when 'internal_process' then 3
        else 4 end as display_order,
    m.score, m.status, m.untrusted_weight_share,
    m.measures_total, m.measures_on_track, m.measures_at_risk, m.measures_off_track,
    m.measures_no_data, m.measures_no_target, m.measures_untrusted, m.measures_provisional,
    o.objectives_total, o.objectives_off_track, m.is_complete_period, 1.0 as weight
from measures m
join objectives o using (scorecard_id, period_grain, period_start, perspective_id)
"""

_BALANCE_BASE = f"""
create table fixture_balance as
with pivoted as (
    select
        scorecard_id, period_grain, period_start,
        max(score) filter (where perspective_id = 'financial') as financial_score,
        coalesce(max(status) filter (where perspective_id = 'financial'), 'no_data') as financial_status,
        max(score) filter (where perspective_id = 'customer') as customer_score,
        coalesce(max(status) filter (where perspective_id = 'customer'), 'no_data') as customer_status,
        max(score) filter (where perspective_id = 'internal_process') as internal_process_score,
        coalesce(max(status) filter (where perspective_id = 'internal_process'), 'no_data')
            as internal_process_status,
        max(score) filter (where perspective_id = 'learning_growth') as learning_growth_score,
        coalesce(max(status) filter (where perspective_id = 'learning_growth'), 'no_data')
            as learning_growth_status,
        case when count(score) >= 2 then 100 - (max(score) - min(score)) end as balance_index,
        arg_max(perspective_name, score) filter (where status = 'on_track'
            and perspective_id in ('financial', 'customer')) as green_outcome,
        max(score) filter (where status = 'on_track' and perspective_id in ('financial', 'customer'))
            as green_outcome_score,
        arg_min(perspective_name, score) filter (where status = 'off_track') as red_perspective,
        min(score) filter (where status = 'off_track') as red_score
    from scorecard.perspective_scores
    group by all
),
overall as (
    select scorecard_id, scorecard_name, period_grain, period_start, period_end, period_label,
           {_WEIGHTED} as overall_score,
           {_UNTRUSTED_SHARE} as untrusted_weight_share,
           count(*) as measures_total,
           count(*) filter (where status = 'off_track') as measures_off_track,
           bool_and(is_complete_period) as is_complete_period
    from scorecard.scorecard
    group by all
)
select
    o.scorecard_id, o.scorecard_name, o.period_grain, o.period_start, o.period_end, o.period_label,
    p.financial_score, p.financial_status, p.customer_score, p.customer_status,
    p.internal_process_score, p.internal_process_status, p.learning_growth_score, p.learning_growth_status,
    o.overall_score,
    case when o.untrusted_weight_share >= 0.5 then 'untrusted'
         when o.overall_score >= 95 then 'on_track' when o.overall_score >= 85 then 'at_risk'
         when o.overall_score is not null then 'off_track' else 'no_data' end as overall_status,
    o.untrusted_weight_share,
    p.balance_index,
    (p.green_outcome is not null and p.red_perspective is not null) or p.balance_index < 70 as is_imbalanced,
    case
        when p.green_outcome is not null and p.red_perspective is not null then
            p.green_outcome || ' is on track (score ' || cast(round(p.green_outcome_score) as integer)
            || ') while ' || p.red_perspective
            || ' is off track (score ' || cast(round(p.red_score) as integer)
            || '): the outcomes may be masking weaker drivers.'
        when p.balance_index < 70 then
            'The perspectives are far apart (balance index ' || cast(round(p.balance_index) as integer)
            || ' is below 70).'
    end as imbalance_reason,
    o.measures_total, o.measures_off_track, o.is_complete_period
from overall o
join pivoted p using (scorecard_id, period_grain, period_start)
"""

_FINDINGS = """
create table scorecard.balance_findings as
with generated as (
    select scorecard_id, period_grain, period_start, period_label,
           'imbalance' as finding_type, 'critical' as severity,
           null as perspective_id, null as objective_id, null as measure_id,
           null as owner, imbalance_reason as message, scorecard_id as subject
    from fixture_balance where is_imbalanced
    union all
    select scorecard_id, period_grain, period_start, period_label,
           case status when 'off_track' then 'off_track_measure' when 'no_data' then 'missing_data'
                when 'no_target' then 'missing_target' else 'untrusted_data' end,
           case when status = 'off_track' and perspective_id in ('financial', 'customer') then 'critical'
                when status in ('off_track', 'untrusted') then 'warning' else 'info' end,
           perspective_id, objective_id, measure_id, owner,
           case status
               when 'off_track' then
                   measure_name || ' is off track: score ' || cast(round(score) as integer) || ' of 100.'
               when 'no_data' then measure_name || ' has no data for ' || period_label || '.'
               when 'no_target' then measure_name || ' has no target for ' || period_label
                   || ' | ask the owner to set one & review it.'
               else measure_name || ' cannot be trusted for ' || period_label || ': ' || trust_note
           end,
           measure_id
    from scorecard.scorecard
    where status in ('off_track', 'no_data', 'no_target', 'untrusted')
    union all
    select 'corporate', 'month', period_start, period_label, 'early_warning', 'warning',
           'learning_growth', 'build_cs_capability', 'cs_training_completion_rate',
           'Grace Mbeki, Chief People Officer',
           'CS training completion has declined for 3 months in a row while Logo churn rate, which it drives '
           || 'through the strategy map, is still on track: expect churn to follow.',
           'cs_training_completion_rate>logo_churn_rate'
    from fixture_periods where period_grain = 'month' and month_index >= 11
    union all
    select 'corporate', 'month', period_start, period_label, 'failed_assumption', 'warning',
           'internal_process', 'deliver_value_fast', null, 'Tomás Lindqvist, VP Product',
           'The 2026-05 review judged that "Accounts that see value early complete onboarding" failed: '
           || 'time to first value halved but onboarding completion kept falling.',
           'deliver_value_fast>onboard_customers_successfully'
    from fixture_periods where period_grain = 'month' and month_index >= 10
    union all
    select 'corporate', 'month', period_start, period_label, 'overdue_action', 'warning',
           'learning_growth', 'build_cs_capability', 'cs_training_completion_rate',
           'Grace Mbeki, Chief People Officer',
           'Publish the protected-training-time policy (decided in the 2026-04 review) was due on '
           || '31 Jul 2026 and is still open.',
           'training_time_policy'
    from fixture_periods where period_grain = 'month' and month_index >= 12
)
select
    md5(finding_type || '|' || scorecard_id || '|' || period_grain || '|' || cast(period_start as varchar)
        || '|' || subject) as finding_id,
    scorecard_id, period_grain, period_start, period_label, finding_type, severity,
    perspective_id, objective_id, measure_id, owner, message, subject
from generated
"""

_BALANCE_REPORT = """
create table scorecard.balance_report as
select
    b.scorecard_id, b.scorecard_name, b.period_grain, b.period_start, b.period_end, b.period_label,
    b.financial_score, b.financial_status, b.customer_score, b.customer_status,
    b.internal_process_score, b.internal_process_status, b.learning_growth_score, b.learning_growth_status,
    b.overall_score, b.overall_status, b.untrusted_weight_share,
    b.balance_index, b.is_imbalanced, b.imbalance_reason,
    b.measures_total, b.measures_off_track,
    count(f.finding_id) as findings_total,
    count(f.finding_id) filter (where f.severity = 'critical') as findings_critical,
    b.is_complete_period
from fixture_balance b
left join scorecard.balance_findings f using (scorecard_id, period_grain, period_start)
group by all
"""

_STRATEGY_MAP = """
create table scorecard.strategy_map as
with links as (
    select * from (values
        ('build_cs_capability', 'resolve_issues_first_time', 2,
         'Trained staff fix more issues in one contact.', 0.61),
        ('build_cs_capability', 'onboard_customers_successfully', 1,
         'Trained CSMs guide <b>new</b> accounts & fix issues | fast.', 0.48),
        ('deliver_value_fast', 'onboard_customers_successfully', 1,
         'Accounts that see value early complete onboarding.', -0.22),
        ('resolve_issues_first_time', 'delight_customers_in_support', 1,
         'Customers whose issue is fixed in one contact rate support highly.', 0.35),
        ('delight_customers_in_support', 'reduce_avoidable_churn', 2,
         'Satisfied support customers renew.', 0.41),
        ('onboard_customers_successfully', 'reduce_avoidable_churn', 3,
         'Accounts that complete onboarding within 30 days churn far less.', 0.57),
        ('reduce_avoidable_churn', 'grow_recurring_revenue', 1,
         'Every customer kept is recurring revenue kept.', 0.72),
        ('grow_recurring_revenue', 'improve_profitability', 2,
         'Revenue grows faster than the cost of serving it.', null)
    ) as t(cause_objective_id, effect_objective_id, lag_months, assumption, correlation)
)
select
    c.scorecard_id, c.period_grain, c.period_start, c.period_end, c.period_label,
    l.cause_objective_id, c.objective_name as cause_objective_name,
    c.perspective_id as cause_perspective_id, c.status as cause_status, c.score as cause_score,
    l.effect_objective_id, e.objective_name as effect_objective_name,
    e.perspective_id as effect_perspective_id, e.status as effect_status, e.score as effect_score,
    l.lag_months, l.assumption,
    l.cause_objective_id = 'deliver_value_fast' and c.period_start >= date '2026-05-01' as assumption_failed,
    cast(case when c.period_start >= date '2026-02-01' then l.correlation end as double)
        as evidence_correlation,
    case
        when c.period_start < date '2026-02-01' or l.correlation is null then 'not_enough_data'
        when l.correlation >= 0.45 then 'supported'
        when l.correlation < -0.2 then 'contradicted'
        else 'inconclusive'
    end as evidence_verdict,
    cast(null as varchar) as evidence_cause_measure_id,
    cast(null as varchar) as evidence_effect_measure_id,
    case when c.period_start >= date '2026-02-01' then l.lag_months end as evidence_lag_months,
    case when c.period_start >= date '2026-02-01' and l.correlation is not null then 30 end as evidence_pairs,
    case when c.period_start >= date '2026-02-01' and l.correlation is not null then 12 end
        as evidence_tests_searched,
    cast(case when c.period_start >= date '2026-02-01' then l.correlation end as double)
        as evidence_detrended_correlation,
    cast(case when c.period_start >= date '2026-02-01' then l.correlation - 0.3 end as double)
        as evidence_correlation_low,
    cast(case when c.period_start >= date '2026-02-01' then least(l.correlation + 0.2, 0.99) end as double)
        as evidence_correlation_high
from links l
join scorecard.objective_scores c on c.objective_id = l.cause_objective_id
join scorecard.objective_scores e
  on e.objective_id = l.effect_objective_id
 and e.scorecard_id = c.scorecard_id and e.period_grain = c.period_grain and e.period_start = c.period_start
"""

# ARR's year-end forecast: at risk while the month is on track (a forecast miss beside its status).
_FORECASTS = """
create table scorecard.measure_forecasts as
select
    scorecard_id, period_grain, period_start, period_end, period_label, measure_id, measure_name,
    objective_id, perspective_id, owner, unit, direction,
    'FY2027' as fiscal_year_label, date '2027-01-31' as fiscal_year_end, 'last' as target_rollup,
    'linear_trend' as forecast_method, 9 as periods_elapsed, 3 as periods_remaining,
    9 as periods_with_actual, actual as year_to_date_value, 6 as trend_points,
    cast(0.0 as double) as trend_slope_per_period, actual * 1.02 as projected_value,
    target * 1.2 as annual_target, actual * 1.02 / (target * 1.2) as projected_attainment,
    case when actual * 1.02 / (target * 1.2) >= 0.95 then 'on_track' else 'at_risk' end as projected_status,
    status as period_status,
    status = 'on_track' and actual * 1.02 / (target * 1.2) < 0.95 as is_projected_miss
from scorecard.scorecard
where period_grain = 'month' and measure_id = 'arr' and target is not null and actual is not null
"""

_REVIEW_ACTIONS = """
create table scorecard.review_actions as
select
    review_id, cast(review_date as date) as review_date, review_period_label, action_id, description, owner,
    cast(due_date as date) as due_date, status, is_overdue, days_overdue
from (values
    ('review_2026_04', '2026-05-12', '2026-04', 'launch_support_academy',
     'Launch the support academy with the first certification cohort.', 'Priya Raman, Head of Support',
     '2026-06-30', 'done', false, null),
    ('review_2026_04', '2026-05-12', '2026-04', 'training_time_policy',
     'Publish the protected-training-time policy and add it to team calendars.',
     'Grace Mbeki, Chief People Officer', '2026-07-31', 'open', true, 61),
    ('review_2026_08', '2026-09-15', '2026-08', 'trial_conversion_analysis',
     'Analyse trial-to-paid conversion by time to first value, by segment.',
     'Sofia Marquez, Chief Revenue Officer', '2026-10-15', 'in_progress', false, null),
    ('review_2026_08', '2026-09-15', '2026-08', 'csm_hiring_plan',
     'Present a hiring plan | keep accounts per CSM <= 14 & hire <early>.',
     'Maya Chen, VP Customer Success', '2026-12-15', 'open', false, null),
    ('review_2026_09', '2026-10-13', '2026-09', 'csat_chat_deep_dive',
     'Review a sample of low-scoring chat conversations and report the top causes.',
     'Priya Raman, Head of Support', '2026-11-20', 'in_progress', false, null)
) as t(review_id, review_date, review_period_label, action_id, description, owner, due_date, status,
       is_overdue, days_overdue)
"""


# The reviews behind those actions, as the reviews mart publishes them. The 2026-08 review (the last
# before the latest month) judged that faster value does not lift onboarding; the data still says so.
# A draft for 2026-09 (no date) is not a held review.
_REVIEWS = """
create table scorecard.reviews as
select
    review_id, scorecard_id, 'month' as review_period_grain,
    cast(period_start as date) as review_period_start,
    cast(last_day(cast(period_start as date)) as date) as review_period_end,
    strftime(cast(period_start as date), '%Y-%m') as review_period_label,
    cast(review_date as date) as review_date, review_date is not null as is_held,
    chair, summary, agenda_items, decisions, failed_assumptions, actions, actions_open, actions_overdue
from (values
    ('review_2026_04', 'corporate', '2026-04-01', '2026-05-12', 'Elena Novak, Chief Executive Officer',
     'Training completion fell; first-contact resolution may follow.', 0, 1, 0, 2, 1, 1),
    ('review_2026_05', 'corporate', '2026-05-01', '2026-06-09', 'Elena Novak, Chief Executive Officer',
     'Faster value has not lifted onboarding.', 0, 0, 1, 0, 0, 0),
    ('review_2026_08', 'corporate', '2026-08-01', '2026-09-15', 'Elena Novak, Chief Executive Officer',
     'Onboarding <recovers> & churn is on plan | new-customer growth has not picked up.', 0, 2, 1, 2, 2, 0),
    ('review_corporate_2026_09', 'corporate', '2026-09-01', null, '', '', 3, 0, 0, 0, 0, 0)
) as t(review_id, scorecard_id, period_start, review_date, chair, summary, agenda_items, decisions,
       failed_assumptions, actions, actions_open, actions_overdue)
"""

_REVIEW_DECISIONS = """
create table scorecard.review_decisions as
select
    review_id, 'corporate' as scorecard_id, review_period_label, cast(review_date as date) as review_date,
    decision_number, decision, owner, objective_id, objective_name, measure_id, measure_name
from (values
    ('review_2026_04', '2026-04', '2026-05-12', 1,
     'Protect four hours a month of training time for every CS and support employee.',
     'Maya Chen, VP Customer Success', 'build_cs_capability', 'Build customer-success capability',
     null, null),
    ('review_2026_08', '2026-08', '2026-09-15', 1,
     'Keep the onboarding targets; no change to the churn plan.',
     'Maya Chen, VP Customer Success', 'onboard_customers_successfully', 'Onboard customers successfully',
     null, null),
    ('review_2026_08', '2026-08', '2026-09-15', 2,
     'Ask Revenue to test whether faster value converts more trials.',
     'Sofia Marquez, Chief Revenue Officer', null, null, 'time_to_first_value_days', 'Time to first value')
) as t(review_id, review_period_label, review_date, decision_number, decision, owner, objective_id,
       objective_name, measure_id, measure_name)
"""

_REVIEW_ASSUMPTIONS = """
create table scorecard.review_assumptions as
select
    reviews.review_id, reviews.scorecard_id, reviews.review_period_label,
    reviews.review_date, 'deliver_value_fast__to__onboard_customers_successfully' as link_id,
    map.cause_objective_id, map.cause_objective_name, map.effect_objective_id, map.effect_objective_name,
    'Maya Chen, VP Customer Success' as effect_objective_owner, map.assumption,
    'Time to first value halved, but onboarding completion kept falling.' as note,
    then_map.evidence_verdict as evidence_verdict_at_review, map.period_label as evidence_period_label,
    map.evidence_verdict, map.evidence_lag_months, map.evidence_pairs, map.evidence_detrended_correlation,
    map.evidence_correlation_low, map.evidence_correlation_high
from scorecard.reviews as reviews
join scorecard.strategy_map as map
  on map.scorecard_id = reviews.scorecard_id and map.period_grain = 'month'
 and map.period_start = date '2026-09-01'
 and map.cause_objective_id = 'deliver_value_fast'
 and map.effect_objective_id = 'onboard_customers_successfully'
join scorecard.strategy_map as then_map
  on then_map.scorecard_id = reviews.scorecard_id and then_map.period_grain = 'month'
 and then_map.period_start = reviews.review_period_start
 and then_map.cause_objective_id = map.cause_objective_id
 and then_map.effect_objective_id = map.effect_objective_id
where reviews.review_id in ('review_2026_05', 'review_2026_08')
"""


# Two initiatives: one serving two objectives, over budget, with an overdue milestone; one with no
# milestones or cost recorded. A third serves an objective no scorecard of the fixture shows.
_INITIATIVES = """
create table scorecard.initiatives as
select
    initiative_id, initiative_name, owner, cast(start_date as date) as start_date,
    cast(end_date as date) as end_date, status, description, cast(budget as double) as budget,
    cast(actual_cost as double) as actual_cost, cast(budget - actual_cost as double) as budget_remaining,
    objectives_served, milestones_total, milestones_done, milestones_overdue,
    cast(next_due as date) as next_milestone_due_date, display_order
from (values
    ('guided_onboarding', 'Guided onboarding programme', 'Maya Chen, VP Customer Success', '2026-01-05',
     '2026-12-31', 'in_progress', 'Checklists & a kickoff call <for everyone>.', 420000.0, 436500.0, 2, 3, 1,
     1, '2026-09-15', 1),
    ('churn_rescue', 'Churn rescue desk', 'Maya Chen, VP Customer Success', '2026-03-01', '2026-09-30',
     'completed', null, null, null, 1, 0, 0, 0, null, 2),
    ('hiring_wave', 'Hiring wave', 'Grace Mbeki, Chief People Officer', '2026-01-01', '2026-12-31',
     'planned', null, 10000.0, null, 1, 0, 0, 0, null, 3)
) as t(initiative_id, initiative_name, owner, start_date, end_date, status, description, budget,
       actual_cost, objectives_served, milestones_total, milestones_done, milestones_overdue, next_due,
       display_order)
"""

_INITIATIVE_OBJECTIVES = """
create table scorecard.initiative_objectives as
select initiative_id, initiative_name, objective_id, objective_name, perspective_id, perspective_name,
    display_order
from (values
    ('guided_onboarding', 'Guided onboarding programme', 'onboard_customers_successfully',
     'Onboard customers successfully', 'customer', 'Customer', 1),
    ('guided_onboarding', 'Guided onboarding programme', 'reduce_avoidable_churn',
     'Reduce avoidable churn', 'customer', 'Customer', 2),
    ('churn_rescue', 'Churn rescue desk', 'reduce_avoidable_churn', 'Reduce avoidable churn', 'customer',
     'Customer', 1),
    ('hiring_wave', 'Hiring wave', 'not_on_any_scorecard', 'Not on any scorecard', 'learning_growth',
     'Learning and growth', 1)
) as t(initiative_id, initiative_name, objective_id, objective_name, perspective_id, perspective_name,
       display_order)
"""

# One OKR of the quarter containing 2026-09 with two key results (one at risk, one not checked in),
# one of the next quarter, and one serving an objective no scorecard of the fixture shows.
_OKR_KEY_RESULTS = """
create table scorecard.okr_key_results as
select
    okr_id, key_result_id, okr_name, key_result_name, objective_id, owner, period_label,
    cast(period_start as date) as period_start, cast(period_end as date) as period_end,
    cast(judged_on as date) as judged_on, cast(due_date as date) as due_date,
    cast(start_value as double) as start_value, cast(target_value as double) as target_value,
    cast(current_value as double) as current_value, cast(progress as double) as progress,
    cast(expected_progress as double) as expected_progress, cast(attainment as double) as attainment,
    status, cast(score as double) as score, display_order
from (values
    ('faster_onboarding', 'kickoff_calls', 'Every new account onboarded in a week',
     'Kickoff calls held <in week 1>', 'onboard_customers_successfully', 'Maya Chen, VP Customer Success',
     'FY2027-Q3', '2026-08-01', '2026-10-31', '2026-09-30', '2026-10-31', 0.40, 0.90, 0.65, 0.5, 0.6593,
     0.7583, 'off_track', 75.83, 1),
    ('faster_onboarding', 'checklist_done', 'Every new account onboarded in a week', 'Checklists completed',
     'onboard_customers_successfully', 'Maya Chen, VP Customer Success', 'FY2027-Q3', '2026-08-01',
     '2026-10-31', '2026-09-30', '2026-10-31', 100.0, 400.0, null, null, 0.6593, null, 'no_data', null, 2),
    ('next_quarter', 'later', 'Next quarter', 'Later', 'onboard_customers_successfully',
     'Maya Chen, VP Customer Success', 'FY2027-Q4', '2026-11-01', '2027-01-31', '2026-09-30', '2027-01-15',
     0.0, 1.0, null, null, 0.0, null, 'no_data', null, 1),
    ('hidden', 'hidden_kr', 'Hidden OKR', 'Hidden KR', 'not_on_any_scorecard',
     'Grace Mbeki, Chief People Officer', 'FY2027-Q3', '2026-08-01', '2026-10-31', '2026-09-30', '2026-10-31',
     0.0, 1.0, 1.0, 1.0, 0.6593, 1.5167, 'on_track', 100.0, 1)
) as t(okr_id, key_result_id, okr_name, key_result_name, objective_id, owner, period_label, period_start,
       period_end, judged_on, due_date, start_value, target_value, current_value, progress, expected_progress,
       attainment, status, score, display_order)
"""

_OKRS = """
create table scorecard.okrs as
select
    okr_id, min(okr_name) as okr_name, min(owner) as owner, min(period_label) as period_label,
    min(period_start) as period_start, min(period_end) as period_end, min(judged_on) as judged_on,
    min(objective_id) as objective_id, 'Onboard customers successfully' as objective_name,
    'customer' as perspective_id, 'Customer' as perspective_name, avg(score) as score,
    case when avg(score) >= 95 then 'on_track' when avg(score) >= 85 then 'at_risk'
         when avg(score) is null then 'no_data' else 'off_track' end as status,
    cast(count(*) as integer) as key_results_total,
    cast(count(*) filter (where status = 'on_track') as integer) as key_results_on_track,
    cast(count(*) filter (where status = 'at_risk') as integer) as key_results_at_risk,
    cast(count(*) filter (where status = 'off_track') as integer) as key_results_off_track,
    cast(count(*) filter (where status = 'no_data') as integer) as key_results_no_data,
    case okr_id when 'faster_onboarding' then 1 when 'next_quarter' then 2 else 3 end as display_order
from scorecard.okr_key_results
group by okr_id
"""

# Two published versions per restated value (as reported, then restated) and the restatements the
# warehouse derives from them. The September 2026 refresh (reported through 2026-09) restated July's
# ARR and the fiscal quarter containing it after a late invoice; the August refresh had restated the
# Enterprise team's June logo churn. Enterprise ARR was restated too, but no scorecard shows it.
_HISTORY = """
create table scorecard.measure_value_history as
select
    measure_id, period_grain, cast(period_start as date) as period_start,
    cast(period_end as date) as period_end, period_label, segment_dimension, segment_value,
    cast(null as double) as numerator, cast(null as double) as denominator, cast(value as double) as value,
    cast(value as decimal(28, 6)) as comparable_value, 'cfg-3f2a9c1e77d0' as config_version,
    cast(computed_at as timestamp) as computed_at, true as is_period_complete,
    cast(null as date) as matures_on, false as is_provisional, false as is_withdrawn,
    cast(reported_through_month as date) as reported_through_month, run_id,
    cast(run_seq as bigint) as run_seq, dbt_scd_id, cast(computed_at as timestamp) as dbt_updated_at,
    cast(computed_at as timestamp) as dbt_valid_from,
    cast(valid_to as timestamp) as dbt_valid_to
from (values
    ('arr', 'month', '2026-07-01', '2026-07-31', '2026-07', 'all', 'all', 11800000.0, '2026-08-03 06:00:00',
     '2026-07-01', 'run-12', 12, 'v-arr-jul-1', '2026-10-03 06:00:00'),
    ('arr', 'month', '2026-07-01', '2026-07-31', '2026-07', 'all', 'all', 11845000.0, '2026-10-03 06:00:00',
     '2026-09-01', 'run-14', 14, 'v-arr-jul-2', null),
    ('arr', 'quarter', '2026-05-01', '2026-07-31', 'FY2027-Q2', 'all', 'all', 11800000.0,
     '2026-08-03 06:00:00', '2026-07-01', 'run-12', 12, 'v-arr-q2-1', '2026-10-03 06:00:00'),
    ('arr', 'quarter', '2026-05-01', '2026-07-31', 'FY2027-Q2', 'all', 'all', 11845000.0,
     '2026-10-03 06:00:00', '2026-09-01', 'run-14', 14, 'v-arr-q2-2', null),
    ('arr', 'month', '2026-07-01', '2026-07-31', '2026-07', 'team', 'cs_enterprise', 5100000.0,
     '2026-08-03 06:00:00', '2026-07-01', 'run-12', 12, 'v-arr-ent-1', '2026-10-03 06:00:00'),
    ('arr', 'month', '2026-07-01', '2026-07-31', '2026-07', 'team', 'cs_enterprise', 5145000.0,
     '2026-10-03 06:00:00', '2026-09-01', 'run-14', 14, 'v-arr-ent-2', null),
    ('logo_churn_rate', 'month', '2026-06-01', '2026-06-30', '2026-06', 'team', 'cs_enterprise', 0.010,
     '2026-07-03 06:00:00', '2026-06-01', 'run-11', 11, 'v-churn-ent-1', '2026-09-03 06:00:00'),
    ('logo_churn_rate', 'month', '2026-06-01', '2026-06-30', '2026-06', 'team', 'cs_enterprise', 0.015,
     '2026-09-03 06:00:00', '2026-08-01', 'run-13', 13, 'v-churn-ent-2', null)
) as t(measure_id, period_grain, period_start, period_end, period_label, segment_dimension, segment_value,
       value, computed_at, reported_through_month, run_id, run_seq, dbt_scd_id, valid_to)
"""

_RESTATEMENTS = """
create table scorecard.restatements as
select
    restated.dbt_scd_id as restatement_id, restated.measure_id, restated.period_grain, restated.period_start,
    restated.period_end, restated.period_label, restated.segment_dimension, restated.segment_value,
    reported.value as as_reported_value, restated.value as restated_value,
    restated.value - reported.value as change, reported.computed_at as as_reported_at,
    restated.computed_at as restated_at, reported.run_id as as_reported_run_id,
    restated.run_id as restated_run_id, reported.config_version as as_reported_config_version,
    restated.config_version as restated_config_version, 'data_changed' as reason
from scorecard.measure_value_history as restated
join scorecard.measure_value_history as reported
  on reported.measure_id = restated.measure_id and reported.period_grain = restated.period_grain
 and reported.period_start = restated.period_start
 and reported.segment_dimension = restated.segment_dimension
 and reported.segment_value = restated.segment_value
 and reported.dbt_valid_to = restated.dbt_valid_from
"""


def build_fixture_marts(path: Path) -> Path:
    """Write the crafted marts into a new DuckDB file at ``path`` and return it."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema scorecard")
        for statement in (
            _MEASURES,
            _PERIODS,
            _SCORECARDS,
            _VALUES,
            _SCORECARD,
            _OBJECTIVE_SCORES,
            _PERSPECTIVE_SCORES,
            _BALANCE_BASE,
            _FINDINGS,
            _BALANCE_REPORT,
            _STRATEGY_MAP,
            _FORECASTS,
            _REVIEW_ACTIONS,
            _REVIEWS,
            _REVIEW_DECISIONS,
            _REVIEW_ASSUMPTIONS,
            _INITIATIVES,
            _INITIATIVE_OBJECTIVES,
            _OKR_KEY_RESULTS,
            _OKRS,
            _HISTORY,
            _RESTATEMENTS,
        ):
            con.execute(statement)
        # The report reads only the published schema; the scaffolding tables go.
        for table in (
            "fixture_measures",
            "fixture_periods",
            "fixture_scorecards",
            "fixture_values",
            "fixture_balance",
        ):
            con.execute(f"drop table {table}")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def marts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted marts file, shared read-only by the report tests."""
    return build_fixture_marts(tmp_path_factory.mktemp("marts") / "bsc_published.duckdb")


@pytest.fixture
def marts_copy(tmp_path: Path) -> Path:
    """A private copy of the crafted marts that a test may change."""
    return build_fixture_marts(tmp_path / "bsc_published.duckdb")
