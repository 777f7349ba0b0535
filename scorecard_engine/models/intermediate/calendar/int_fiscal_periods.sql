-- Grain expansion: each scorecard month once per grain that contains it (its month, fiscal quarter
-- and fiscal year). Measures join their monthly facts here and group by period, so every grain is
-- computed from the same definition. A period cut by the range edge (the current quarter, say)
-- covers its in-range months only: first/last month flags mark where stocks are read.
with months as (
    select * from {{ ref('int_calendar_months') }}
    where is_in_scorecard_range
),

expanded as (
    select
        'month' as period_grain,
        month_start as period_start,
        month_end as period_end,
        month_label as period_label,
        month_start
    from months

    union all

    select
        'quarter' as period_grain,
        fiscal_quarter_start as period_start,
        fiscal_quarter_end as period_end,
        fiscal_quarter_label as period_label,
        month_start
    from months

    union all

    select
        'year' as period_grain,
        fiscal_year_start as period_start,
        fiscal_year_end as period_end,
        fiscal_year_label as period_label,
        month_start
    from months
),

flagged as (
    select
        period_grain,
        period_start,
        period_end,
        period_label,
        month_start,
        month_start = min(month_start) over (partition by period_grain, period_start) as is_first_month,
        month_start = max(month_start) over (partition by period_grain, period_start) as is_last_month
    from expanded
)

select * from flagged
