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
    {{ scorecard_engine.expand_to_periods('employee_months') | indent(4) }}
),

aggregated as (
    select
        period_grain,
        period_start,
        {{ scorecard_engine.segment_select('cs_headcount') | indent(8) }},
        {{ scorecard_engine.stock_at_period_end('is_cs_employee_at_end') }} as numerator,
        cast(null as {{ scorecard_engine.type_double() }}) as denominator
    from employee_months_by_period
    {{ scorecard_engine.segment_group_by('cs_headcount') | indent(4) }}
)

{{ scorecard_engine.measure_result('cs_headcount', 'aggregated', 'numerator', zero_fill=true) }}
