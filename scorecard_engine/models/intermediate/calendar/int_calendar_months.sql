-- Every calendar month the warehouse reasons about, with its fiscal quarter and year. Starts
-- scorecard_lookback_months before the scorecard's first month (a company whose measures compare
-- with a year earlier sets 12) and ends at the scorecard's last month. Only config and vars set the
-- range, never a company's source table.
{% set lookback = numeric_var('scorecard_lookback_months', 0, whole_number=true, minimum=0) | int %}

with settings as (
    select cast(fiscal_year_start_month as integer) as fiscal_year_start_month
    from {{ ref(project_name, 'cfg_settings') }}
),

bounds as (
    select
        {{ scorecard_first_month() }} as scorecard_first_month,
        {{ scorecard_last_month() }} as scorecard_last_month,
        cast({{ dbt.dateadd('month', 0 - lookback, scorecard_first_month()) }} as date) as first_month,
        {{ scorecard_last_month() }} as last_month
),

months as (
    {{ month_series('bounds') | indent(4) }}
),

with_fiscal_starts as (
    select
        months.month_start,
        {{ fiscal_quarter_start('months.month_start', 'settings.fiscal_year_start_month') }}
            as fiscal_quarter_start,
        {{ fiscal_year_start('months.month_start', 'settings.fiscal_year_start_month') }}
            as fiscal_year_start,
        {{ fiscal_quarter_number('months.month_start', 'settings.fiscal_year_start_month') }}
            as fiscal_quarter_number,
        settings.fiscal_year_start_month,
        months.month_start >= bounds.scorecard_first_month
        and months.month_start <= bounds.scorecard_last_month as is_in_scorecard_range
    from months
    cross join settings
    cross join bounds
),

labelled as (
    select
        month_start,
        {{ last_day_after_months('month_start', 1) }} as month_end,
        {{ month_label('month_start') }} as month_label,
        fiscal_quarter_start,
        {{ last_day_after_months('fiscal_quarter_start', 3) }} as fiscal_quarter_end,
        {{ dbt.concat([
            "'FY'",
            "cast(" ~ fiscal_year_number('fiscal_year_start', 'fiscal_year_start_month') ~ " as " ~ dbt.type_string() ~ ")",
            "'-Q'",
            "cast(fiscal_quarter_number as " ~ dbt.type_string() ~ ")"
        ]) }} as fiscal_quarter_label,
        fiscal_year_start,
        {{ last_day_after_months('fiscal_year_start', 12) }} as fiscal_year_end,
        {{ dbt.concat([
            "'FY'",
            "cast(" ~ fiscal_year_number('fiscal_year_start', 'fiscal_year_start_month') ~ " as " ~ dbt.type_string() ~ ")"
        ]) }} as fiscal_year_label,
        is_in_scorecard_range
    from with_fiscal_starts
)

select * from labelled
