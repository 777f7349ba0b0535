{{ config(meta={'measure_id': 'expansion_mrr'}) }}

-- Flow: MRR added by upgrades of existing subscriptions in the period (new subscriptions and
-- reactivations are not expansion).
with account_months as (
    select
        month_start,
        team,
        region,
        customer_segment,
        expansion_mrr
    from {{ ref('int_account_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'expansion_mrr', 'account_months', 'numerator',
    numerator=scorecard_engine.flow_sum('expansion_mrr'),
    zero_fill=true,
) }}
