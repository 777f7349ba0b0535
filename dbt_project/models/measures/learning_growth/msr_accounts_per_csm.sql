{{ config(meta={'measure_id': 'accounts_per_csm'}) }}

-- Derived: active_customers ÷ cs_headcount for the same period and team, read from the two
-- governed measures (never recomputed here). Sliced by team only (the customer-success teams own
-- accounts and employ the CSMs); headcount has no region or customer segment.
with active_customers as (
    select * from {{ ref('msr_active_customers') }}
),

cs_headcount as (
    select * from {{ ref('msr_cs_headcount') }}
),

aggregated as (
    select
        active_customers.period_grain,
        active_customers.period_start,
        active_customers.team,
        active_customers.region,
        active_customers.customer_segment,
        active_customers.value as numerator,
        cs_headcount.value as denominator
    from active_customers
    left join cs_headcount
        on active_customers.period_grain = cs_headcount.period_grain
        and active_customers.period_start = cs_headcount.period_start
        and active_customers.team = cs_headcount.team
        and active_customers.region = cs_headcount.region
        and active_customers.customer_segment = cs_headcount.customer_segment
)

{{ measure_result('accounts_per_csm', 'aggregated', 'cs_employee', 'ratio') }}
