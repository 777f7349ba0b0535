{{ config(meta={'measure_id': 'cs_headcount'}) }}

-- Stock: employees in the customer_success department at the end of the period, in the team they
-- were in at that moment.
with employee_months as (
    select
        month_start,
        team_at_end as team,
        case when is_employed_at_end and department_at_end = 'customer_success' then 1 else 0 end
            as is_cs_employee_at_end
    from {{ ref('int_employee_months') }}
)

{{ scorecard_engine.measure_from_grain(
    'cs_headcount', 'employee_months', 'numerator',
    numerator=scorecard_engine.stock_at_period_end('is_cs_employee_at_end'),
    zero_fill=true,
) }}
