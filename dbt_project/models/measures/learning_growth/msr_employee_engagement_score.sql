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
    {{ expand_to_periods('responses') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('employee') | indent(8) }},
        {{ flow_sum('engagement_score') }} as numerator,
        count(*) as denominator
    from responses_by_period
    {{ segment_group_by('employee') | indent(4) }}
)

{{ measure_result('employee_engagement_score', 'aggregated', 'employee', 'ratio') }}
