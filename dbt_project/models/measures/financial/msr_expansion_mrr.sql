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
),

account_months_by_period as (
    {{ scorecard_engine.expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('expansion_mrr') | indent(8) }},
        {{ scorecard_engine.flow_sum('expansion_mrr') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from account_months_by_period
    {{ scorecard_engine.segment_group_by('expansion_mrr') | indent(4) }}
)

{{ scorecard_engine.measure_result('expansion_mrr', 'aggregated', 'numerator', zero_fill=true) }}
