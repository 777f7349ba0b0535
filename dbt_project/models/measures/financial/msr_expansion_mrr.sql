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
    {{ expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('account') | indent(8) }},
        {{ flow_sum('expansion_mrr') }} as numerator,
        cast(null as {{ type_double() }}) as denominator
    from account_months_by_period
    {{ segment_group_by('account') | indent(4) }}
)

{{ measure_result('expansion_mrr', 'aggregated', 'account', 'numerator', zero_fill=true) }}
