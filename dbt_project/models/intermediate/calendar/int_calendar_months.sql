-- Every calendar month the warehouse reasons about, with its fiscal quarter and year. Starts at the
-- earlier of the first billing month and the scorecard's first month (MRR 12 months back needs the
-- history) and ends at the scorecard's last month.
with settings as (
    select cast(fiscal_year_start_month as integer) as fiscal_year_start_month
    from {{ ref('cfg_settings') }}
),

scorecard_range as (
    select
        {{ scorecard_first_month() }} as scorecard_first_month,
        {{ scorecard_last_month() }} as scorecard_last_month,
        (
            select min({{ month_start('event_at') }})
            from {{ ref('stg_billing__subscription_events') }}
        ) as first_billing_month
),

bounds as (
    select
        scorecard_first_month,
        scorecard_last_month,
        least(coalesce(first_billing_month, scorecard_first_month), scorecard_first_month) as first_month,
        scorecard_last_month as last_month
    from scorecard_range
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
