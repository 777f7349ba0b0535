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
),

employee_months_by_period as (
    {{ expand_to_periods('employee_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ segment_select('cs_employee') | indent(8) }},
        {{ stock_at_period_end('is_cs_employee_at_end') }} as numerator,
        cast(null as {{ type_double() }}) as denominator
    from employee_months_by_period
    {{ segment_group_by('cs_employee') | indent(4) }}
)

{{ measure_result('cs_headcount', 'aggregated', 'cs_employee', 'numerator', zero_fill=true) }}
