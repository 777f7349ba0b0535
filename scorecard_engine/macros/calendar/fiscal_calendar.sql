{#
    Fiscal calendar arithmetic on a month-start date and the fiscal year's first calendar month
    (1–12, from cfg_settings). Quarters are three-month blocks counted from the fiscal year start.
    A fiscal year is named by the calendar year in which it ends: with a February start, the year
    running Feb 2025 – Jan 2026 is FY2026; with a January start, FY2025 is calendar 2025.
    Integer arithmetic and dbt.dateadd only, so the same SQL runs on DuckDB, PostgreSQL and Spark.
#}

{% macro fiscal_month_offset(month_start, fiscal_year_start_month) -%}
    mod(cast(extract(month from {{ month_start }}) as integer) - {{ fiscal_year_start_month }} + 12, 12)
{%- endmacro %}

{% macro fiscal_quarter_start(month_start, fiscal_year_start_month) -%}
    cast({{ dbt.dateadd('month', '0 - mod(' ~ scorecard_engine.fiscal_month_offset(month_start, fiscal_year_start_month) ~ ', 3)', month_start) }} as date)
{%- endmacro %}

{% macro fiscal_year_start(month_start, fiscal_year_start_month) -%}
    cast({{ dbt.dateadd('month', '0 - ' ~ scorecard_engine.fiscal_month_offset(month_start, fiscal_year_start_month), month_start) }} as date)
{%- endmacro %}

{% macro fiscal_quarter_number(month_start, fiscal_year_start_month) -%}
    (cast(({{ scorecard_engine.fiscal_month_offset(month_start, fiscal_year_start_month) }}
        - mod({{ scorecard_engine.fiscal_month_offset(month_start, fiscal_year_start_month) }}, 3)) / 3 as integer) + 1)
{%- endmacro %}

{% macro fiscal_year_number(fiscal_year_start, fiscal_year_start_month) -%}
    (cast(extract(year from {{ fiscal_year_start }}) as integer)
        + case when {{ fiscal_year_start_month }} = 1 then 0 else 1 end)
{%- endmacro %}

{% macro last_day_after_months(period_start, months) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', months, period_start)) }} as date)
{%- endmacro %}

{% macro month_label(month_start) -%}
    {{ dbt.concat([
        "cast(cast(extract(year from " ~ month_start ~ ") as integer) as " ~ dbt.type_string() ~ ")",
        "'-'",
        "lpad(cast(cast(extract(month from " ~ month_start ~ ") as integer) as " ~ dbt.type_string() ~ "), 2, '0')"
    ]) }}
{%- endmacro %}
