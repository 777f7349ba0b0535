-- Engagement-survey answers with the month they were submitted in and the respondent's team on
-- that day.
with responses as (
    select * from {{ ref('stg_hr__engagement_survey') }}
),

team_history as (
    select * from {{ ref('int_employee_team_history') }}
),

with_team as (
    select
        responses.response_id,
        responses.employee_id,
        responses.survey_id,
        responses.submitted_at,
        {{ scorecard_engine.month_start('responses.submitted_at') }} as month_start,
        responses.engagement_score,
        team_history.department as department_at_submission,
        team_history.team as team_at_submission
    from responses
    left join team_history
        on responses.employee_id = team_history.employee_id
        and team_history.valid_from <= cast(responses.submitted_at as date)
        and (
            team_history.valid_until is null
            or cast(responses.submitted_at as date) < team_history.valid_until
        )
)

select * from with_team
