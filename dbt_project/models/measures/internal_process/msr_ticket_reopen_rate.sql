{{ config(meta={'measure_id': 'ticket_reopen_rate'}) }}

-- Ratio: tickets resolved in the period that were reopened ÷ tickets resolved in the period.
with tickets as (
    select
        resolved_month as month_start,
        team,
        region,
        customer_segment,
        case when is_reopened then 1 else 0 end as is_reopened
    from {{ ref('int_tickets_resolution') }}
    where resolved_at is not null
)

{{ scorecard_engine.measure_from_grain(
    'ticket_reopen_rate', 'tickets', 'ratio',
    numerator=scorecard_engine.flow_sum('is_reopened'),
    denominator='count(*)',
) }}
