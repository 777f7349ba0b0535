{{ config(meta={'measure_id': 'new_customers'}) }}

-- Flow: accounts whose first subscription started in the period (a reactivated account is not new).
with account_months as (
    select
        account_id,
        month_start,
        team,
        region,
        customer_segment,
        is_new_customer
    from {{ ref('int_account_months') }}
),

account_months_by_period as (
    {{ scorecard_engine.expand_to_periods('account_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('new_customers') | indent(8) }},
        {{ scorecard_engine.flow_count_distinct('case when is_new_customer then account_id end') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from account_months_by_period
    {{ scorecard_engine.segment_group_by('new_customers') | indent(4) }}
)

{{ scorecard_engine.measure_result('new_customers', 'aggregated', 'numerator', zero_fill=true) }}
