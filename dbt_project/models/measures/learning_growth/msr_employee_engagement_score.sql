{{ config(meta={'measure_id': 'employee_engagement_score'}) }}

-- Ratio: sum of engagement-survey scores (1–5) ÷ number of responses submitted in the period,
-- by the respondent's team on the day they answered.
with responses as (
    select
        month_start,
        team_at_submission as team,
        engagement_score
    from {{ ref('int_engagement_responses') }}
)

{{ scorecard_engine.measure_from_grain(
    'employee_engagement_score', 'responses', 'ratio',
    numerator=scorecard_engine.flow_sum('engagement_score'),
    denominator='count(*)',
) }}
