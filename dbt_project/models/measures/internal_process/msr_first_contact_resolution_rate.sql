{{ config(meta={'measure_id': 'first_contact_resolution_rate'}) }}

-- Ratio: tickets resolved in the period with a single contact and never reopened ÷ tickets
-- resolved in the period.
with tickets as (
    select
        resolved_month as month_start,
        team,
        region,
        customer_segment,
        case when is_first_contact_resolution then 1 else 0 end as is_first_contact_resolution
    from {{ ref('int_tickets_resolution') }}
    where resolved_at is not null
),

tickets_by_period as (
    {{ scorecard_engine.expand_to_periods('tickets') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('first_contact_resolution_rate') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_first_contact_resolution') }} as numerator,
        count(*) as denominator
    from tickets_by_period
    {{ scorecard_engine.segment_group_by('first_contact_resolution_rate') | indent(4) }}
)

{{ scorecard_engine.measure_result('first_contact_resolution_rate', 'aggregated', 'ratio') }}
