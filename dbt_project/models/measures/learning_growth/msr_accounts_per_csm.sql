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
        active_customers.segment_dimension,
        active_customers.segment_value,
        active_customers.value as numerator,
        cs_headcount.value as denominator
    from active_customers
    left join cs_headcount
        on active_customers.period_grain = cs_headcount.period_grain
        and active_customers.period_start = cs_headcount.period_start
        and active_customers.segment_dimension = cs_headcount.segment_dimension
        and active_customers.segment_value = cs_headcount.segment_value
)

{{ scorecard_engine.measure_result('accounts_per_csm', 'aggregated', 'ratio') }}
