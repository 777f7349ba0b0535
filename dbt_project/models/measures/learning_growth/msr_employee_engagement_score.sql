{{ config(meta={'measure_id': 'employee_engagement_score'}) }}

-- Ratio: sum of engagement-survey scores (1–5) ÷ number of responses submitted in the period,
-- by the respondent's team on the day they answered.
with responses as (
    select
        month_start,
        team_at_submission as team,
        engagement_score
    from {{ ref('int_engagement_responses') }}
),

responses_by_period as (
    {{ scorecard_engine.expand_to_periods('responses') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('employee_engagement_score') | indent(8) }},
        {{ scorecard_engine.flow_sum('engagement_score') }} as numerator,
        count(*) as denominator
    from responses_by_period
    {{ scorecard_engine.segment_group_by('employee_engagement_score') | indent(4) }}
)

{{ scorecard_engine.measure_result('employee_engagement_score', 'aggregated', 'ratio') }}
