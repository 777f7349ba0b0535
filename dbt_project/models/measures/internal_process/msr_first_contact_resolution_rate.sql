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
)

{{ scorecard_engine.measure_from_grain(
    'first_contact_resolution_rate', 'tickets', 'ratio',
    numerator=scorecard_engine.flow_sum('is_first_contact_resolution'),
    denominator='count(*)',
) }}
