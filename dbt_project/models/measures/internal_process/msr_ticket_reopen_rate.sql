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
),

tickets_by_period as (
    {{ scorecard_engine.expand_to_periods('tickets') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('ticket_reopen_rate') | indent(8) }},
        {{ scorecard_engine.flow_sum('is_reopened') }} as numerator,
        count(*) as denominator
    from tickets_by_period
    {{ scorecard_engine.segment_group_by('ticket_reopen_rate') | indent(4) }}
)

{{ scorecard_engine.measure_result('ticket_reopen_rate', 'aggregated', 'ratio') }}
